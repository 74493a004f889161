"""Writes examples/suite/: labelled texts for examples/suite.toml, scored by examples/keyword-model.

The keyword model calls a text spam exactly when one of its words starts with "free" (tools/robustness/
make_keyword_model.py), so the suite's numbers follow from the texts: texts.csv (earlier messages, two channels
whose error rates differ, for the slices and fairness parts) and texts-later.csv (later messages whose spam stopped
saying "free": the generalization part's out-of-distribution set). Pure standard library; deterministic.

    python3 tools/suite/make_suite_example.py
"""
import csv
import pathlib
import random

OUT = pathlib.Path(__file__).resolve().parents[2] / "examples" / "suite"

SPAM_FREE = ["Get your free money now", "Claim a free cruise today", "Free entry to win cash",
             "Reply now for free ringtones", "Your free gift card is waiting", "Click for a free quote on loans"]
SPAM_OTHER = ["You have won a prize, call now", "Winner! Collect your reward", "Urgent: your account needs payment",
              "Cheap meds without prescription", "Earn cash from home this week", "Claim your bonus before midnight"]
HAM = ["Are we still on for lunch tomorrow?", "Here are the notes from the meeting", "Can you send me the report",
       "The train is late again, see you at ten", "Thanks for the birthday wishes", "Please review the attached draft",
       "Dinner at mine on Friday?", "The build passed on main"]
HAM_FREE = ["Feel free to call me later", "I am free after five if you want to talk", "Free parking is behind the office"]


def rows(n, channel, spam_share, free_share, ham_free_share, rng, prefix):
    out = []
    for i in range(n):
        if rng.random() < spam_share:
            text = rng.choice(SPAM_FREE if rng.random() < free_share else SPAM_OTHER)
            label = "spam"
        else:
            text = rng.choice(HAM_FREE if rng.random() < ham_free_share else HAM)
            label = "ham"
        out.append({"id": f"{prefix}{len(out):03d}-{channel}", "text": text, "label": label, "channel": channel})
    return out


def main():
    rng = random.Random(14)
    OUT.mkdir(parents=True, exist_ok=True)
    early = rows(80, "email", 0.4, 0.9, 0.05, rng, "e") + rows(80, "sms", 0.4, 0.6, 0.2, rng, "e")
    later = rows(60, "email", 0.4, 0.3, 0.05, rng, "l") + rows(60, "sms", 0.4, 0.2, 0.2, rng, "l")
    for name, data in (("texts.csv", early), ("texts-later.csv", later)):
        with open(OUT / name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=["id", "text", "label", "channel"], lineterminator="\n")
            w.writeheader()
            w.writerows(data)


if __name__ == "__main__":
    main()
