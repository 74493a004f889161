"""Deterministic, varied test texts shared by the golden-file scripts (never a runtime dependency)."""
import random

BASE = [
    "Hello world!",
    "The quick brown fox jumps over the lazy dog.",
    "",
    " ",
    "a",
    "FREE!!! Click here to claim your $1,000,000 prize now!!!",
    "Meeting moved to 3pm tomorrow; please bring the Q3 report.",
    "naïve café résumé — déjà vu, Ångström, Straße",
    "Ünïcödé ÀÉÎÕÜ façade coöperate",
    "I love this 😀👍🏽🎉 so much ❤️",
    "👨‍👩‍👧‍👦 family emoji and flags 🇫🇷🇯🇵",
    "日本語のテキストです。東京は大きい都市です。",
    "中文文本：我爱自然语言处理。",
    "한국어 문장도 있습니다.",
    "Русский текст с пунктуацией, и цифрами 123.",
    "مرحبا بالعالم",
    "שלום עולם",
    "Ελληνικά γράμματα αβγδε",
    "<html><body><p>Hello <b>bold</b> &amp; <a href=\"http://example.com\">link</a></p></body></html>",
    "<div class='x'>&nbsp;&lt;tag&gt; &#169; 2024</div>",
    "e-mail: john.doe@example.com, url: https://example.org/path?q=1&r=2#frag",
    "Numbers 3.14159 2,718 1e-10 -42 +7 100%",
    "tabs\tand\nnewlines\r\nand   multiple    spaces",
    "UPPER lower MiXeD CaSe",
    "don't won't can't it's y'all",
    "unbelievably antidisestablishmentarianism supercalifragilisticexpialidocious",
    "(parentheses) [brackets] {braces} <angles> \"quotes\" 'single'",
    "#hashtag @mention $cash ^caret ~tilde `backtick` |pipe| \\backslash/",
    "Subject: Re: [spam] Your account\n\nDear user, your password expires today.",
    "\u200bzero\u200bwidth\u200b joiners\u00a0nbsp\u00adsoft-hyphen",
    "combining: e\u0301 a\u0300 n\u0303 vs precomposed é à ñ",
    "math ∑∫√∞ ≠ ≤ ≥ ± × ÷ and arrows → ← ↑",
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
    "ﬁ ligature ﬂ and ℌ𝔢𝔩𝔩𝔬 math letters",
    "Repeated repeated repeated repeated repeated words words words",
    "!!!???...,,,;;;:::",
    "ok",
    "ThisIsACamelCaseIdentifier and snake_case_identifier and kebab-case",
    "Line one.\n\nLine two.\n\n\nLine three.",
    "Ceci n'est pas une pipe. Das ist gut. Esto es genial.",
]

WORDS = ("the of and to in is that for it as was with be by on not he this are or his from at which but have an "
         "they you were her all she there would their we him been has when who will more no if out so said what up "
         "its about into than them can only other new some could time these two may then do first any my now such "
         "like our over man me even most made after also did many before must through back years where much your way "
         "well down should because each just those people how too little state good very make world still own see men "
         "work long get here between both life being under never day same another know while last might us great old "
         "year off come since against go came right used take three email money offer free click winner account").split()


def long_text(n_words=2000, seed=7):
    rng = random.Random(seed)
    out = []
    for i in range(n_words):
        w = rng.choice(WORDS)
        if i % 17 == 0:
            w = w.capitalize()
        out.append(w)
        if i % 23 == 22:
            out[-1] += "."
    return " ".join(out)


def texts(n, seed=1):
    """BASE plus generated sentences and long texts, n in total."""
    rng = random.Random(seed)
    result = list(BASE)
    while len(result) < n - 2:
        k = rng.randint(3, 60)
        result.append(" ".join(rng.choice(WORDS) for _ in range(k)))
    result.append(long_text(2000, seed=7))
    result.append(long_text(300, seed=8) + " 😀 日本語 <b>html</b>")
    return result[:n]
