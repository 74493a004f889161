package dev.loupe.data.datasets;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hand-made raw emails: the text Loupe extracts from each. */
class EmailTextTest {
    private static EmailText.Parsed parse(String raw) {
        return EmailText.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String b64(String s, Charset cs) {
        return Base64.getMimeEncoder().encodeToString(s.getBytes(cs));
    }

    @Test
    void plainEmailDropsHeadersAndMboxLine() {
        EmailText.Parsed p = parse("""
                From someone@example.com  Thu Aug 22 12:36:23 2002
                Return-Path: <someone@example.com>
                Received: from a by b
                \twith SMTP; Thu, 22 Aug 2002
                Subject: Meeting
                 moved to Friday
                From: Someone <someone@example.com>

                Hi all,
                the meeting moved.\s\s

                --\s
                S.
                """);
        assertEquals("Meeting moved to Friday", p.subject());
        assertEquals("Hi all,\nthe meeting moved.\n\n--\nS.", p.body());
        assertEquals("Meeting moved to Friday\n\nHi all,\nthe meeting moved.\n\n--\nS.", p.text());
        assertFalse(p.undecodable() || p.guessedCharset() || p.malformed() || p.unknownCharset());
    }

    @Test
    void crlfLineEndings() {
        EmailText.Parsed p = parse("Subject: crlf\r\nTo: x\r\n\r\nline one\r\nline two\r\n");
        assertEquals("crlf\n\nline one\nline two", p.text());
    }

    @Test
    void encodedWordSubjects() {
        assertEquals("Café déjà vu", parse("Subject: =?iso-8859-1?Q?Caf=E9_d=E9j=E0?= vu\n\nx").subject());
        // adjacent encoded words join without the white space between them
        assertEquals("Grüße aus Köln", parse("Subject: =?UTF-8?B?R3LDvMOfZQ==?= =?UTF-8?B?IGF1cyBLw7Zsbg==?=\n\nx").subject());
        assertEquals("Re: 你好", parse("Subject: Re: =?gb2312?B?xOO6ww==?=\n\nx").subject());
    }

    @Test
    void quotedPrintableBody() {
        EmailText.Parsed p = parse("""
                Subject: qp
                Content-Type: text/plain; charset="ISO-8859-1"
                Content-Transfer-Encoding: quoted-printable

                Un caf=E9 tr=E8s long qui continue sur =
                la ligne suivante, et 50=25 de r=E9duction.
                Un =3D signe, un =ZZ mauvais.
                """);
        assertEquals("Un café très long qui continue sur la ligne suivante, et 50% de réduction.\n"
                + "Un = signe, un =ZZ mauvais.", p.body());
        assertFalse(p.undecodable());
    }

    @Test
    void base64Body() {
        String raw = "Subject: b64\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                + b64("Ünïcödé — ✓ and emoji 🎉", StandardCharsets.UTF_8) + "\n";
        assertEquals("Ünïcödé — ✓ and emoji 🎉", EmailText.parse(raw.getBytes(StandardCharsets.US_ASCII)).body());
    }

    @Test
    void htmlIsKeptAsText() {
        EmailText.Parsed p = parse("""
                Subject: offer
                Content-Type: text/html; charset=us-ascii

                <html><body><b>FREE</b> &amp; <a href="http://x">now</a></body></html>
                """);
        assertEquals("offer\n\n<html><body><b>FREE</b> &amp; <a href=\"http://x\">now</a></body></html>", p.text());
    }

    @Test
    void multipartAlternativePrefersPlainText() {
        String raw = """
                Subject: alt
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="BOUND"

                This is a multi-part message in MIME format.

                --BOUND
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                Plain =E2=9C=93
                --BOUND
                Content-Type: text/html; charset=utf-8

                <p>Html</p>
                --BOUND--
                epilogue
                """;
        EmailText.Parsed p = EmailText.parse(raw.getBytes(StandardCharsets.UTF_8));
        assertEquals("alt\n\nPlain ✓", p.text());
    }

    @Test
    void multipartAlternativeFallsBackToHtmlWhenPlainIsBlank() {
        String raw = """
                Subject: alt
                Content-Type: multipart/alternative; boundary=b1

                --b1
                Content-Type: text/plain

                \s
                --b1
                Content-Type: text/html

                <p>Only html</p>
                --b1--
                """;
        assertEquals("<p>Only html</p>", parse(raw).body());
    }

    @Test
    void multipartMixedKeepsTextPartsAndDropsAttachments() {
        String raw = "Subject: mixed\nContent-Type: multipart/mixed; boundary=\"outer\"\n\n"
                + "--outer\nContent-Type: multipart/alternative; boundary=\"inner\"\n\n"
                + "--inner\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: base64\n\n"
                + b64("Price: 10 \u20ac \u2013 cheap", Charset.forName("windows-1252")) + "\n"
                + "--inner\nContent-Type: text/html\n\n<p>Price</p>\n--inner--\n"
                + "--outer\nContent-Type: image/gif; name=\"x.gif\"\nContent-Transfer-Encoding: base64\n\n"
                + "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\n"
                + "--outer\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "<i>Fin de l'=E9t=E9</i>\n"
                + "--outer\nContent-Type: message/rfc822\n\nSubject: forwarded one\nFrom: a@b\n\nInner body.\n"
                + "--outer--\n";
        EmailText.Parsed p = parse(raw);
        assertEquals("mixed\n\nPrice: 10 € – cheap\n\n<i>Fin de l'été</i>\n\nforwarded one\n\nInner body.", p.text());
        assertFalse(p.malformed());
    }

    @Test
    void delimiterOfAnotherBoundaryIsNotASplit() {
        String raw = "Subject: s\nContent-Type: multipart/related; boundary=\"X\"\n\n"
                + "--X\nContent-Type: multipart/alternative; boundary=\"XAA\"\n\n"
                + "--XAA\nContent-Type: text/plain\n\ninner plain\n--XAA--\n--X--\n";
        assertEquals("inner plain", parse(raw).body());
    }

    @Test
    void missingContentTypeWithMimeBodyIsSniffed() {
        String raw = "Subject: lost header\nMIME-Version: 1.0\n\nThis is a MIME Message\n\n"
                + "------=_Part_1\nContent-Type: text/plain\n\nthe text\n------=_Part_1--\n";
        EmailText.Parsed p = parse(raw);
        assertEquals("the text", p.body());
    }

    @Test
    void undeclared8BitTextIsReadAsWindows1252AndFlagged() {
        byte[] raw = "Subject: caf\u00e9\n\nna\u00efve \u201cquotes\u201d\n".getBytes(Charset.forName("windows-1252"));
        EmailText.Parsed p = EmailText.parse(raw);
        assertEquals("café", p.subject());
        assertEquals("naïve \u201cquotes\u201d", p.body());
        assertTrue(p.guessedCharset());
        assertFalse(p.undecodable());
    }

    @Test
    void undeclaredUtf8IsReadAsUtf8() {
        EmailText.Parsed p = EmailText.parse("Subject: ok\n\nnaïve ✓\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("naïve ✓", p.body());
        assertFalse(p.guessedCharset());
    }

    @Test
    void bytesInvalidInTheirDeclaredCharsetAreReplacedAndCounted() {
        byte[] head = "Subject: bad\nContent-Type: text/plain; charset=utf-8\n\nok ".getBytes(StandardCharsets.US_ASCII);
        byte[] raw = java.util.Arrays.copyOf(head, head.length + 3);
        raw[head.length] = (byte) 0xC3;
        raw[head.length + 1] = (byte) 0x28;
        raw[head.length + 2] = 'x';
        EmailText.Parsed p = EmailText.parse(raw);
        assertEquals("ok \uFFFD(x", p.body());
        assertTrue(p.undecodable());
    }

    @Test
    void unknownCharsetIsFlaggedAndReadLeniently() {
        EmailText.Parsed p = parse("Subject: x\nContent-Type: text/plain; charset=x-no-such-charset\n\nhello\n");
        assertEquals("hello", p.body());
        assertTrue(p.unknownCharset());
    }

    @Test
    void multipartWithoutDelimitersIsReadAsText() {
        EmailText.Parsed p = parse("Subject: x\nContent-Type: multipart/mixed; boundary=nothere\n\njust text\n");
        assertEquals("just text", p.body());
        assertTrue(p.malformed());
    }

    @Test
    void noBlankLineAfterHeadersAndNoHeadersAtAll() {
        assertEquals("body without headers\nsecond", parse("body without headers\nsecond\n").text());
        assertEquals("s", parse("Subject: s\n").text());
        assertEquals("", parse("").text());
    }

    @Test
    void randomBytesNeverThrow() {
        SplittableRandom rnd = new SplittableRandom(7);
        String[] pieces = {"Subject: ", "Content-Type: multipart/mixed; boundary=\"b\"\n", "--b\n", "--b--\n",
            "Content-Transfer-Encoding: base64\n", "Content-Transfer-Encoding: quoted-printable\n",
            "Content-Type: message/rfc822\n", "=?utf-8?B?", "?=", "\n\n", "=\n", "=F", "\r", "\t", "charset=\"", ":"};
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(40);
            for (int k = 0; k < n; k++) {
                if (rnd.nextBoolean()) {
                    sb.append(pieces[rnd.nextInt(pieces.length)]);
                } else {
                    sb.append((char) rnd.nextInt(256));
                }
            }
            byte[] raw = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            assertDoesNotThrow(() -> EmailText.parse(raw).text(), sb.toString());
        }
    }

    @Test
    void deeplyNestedMessagesStop() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append("Content-Type: message/rfc822\n\n");
        }
        sb.append("Subject: deep\n\nbottom\n");
        EmailText.Parsed p = parse(sb.toString());
        assertTrue(p.malformed());
    }
}
