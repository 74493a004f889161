package dev.loupe.report;

import dev.loupe.api.InternalException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The one HTML page of both surfaces: a shell, the view-model data in {@code <script type="application/json">}
 * (escaped by {@link Json#forScript}), the stylesheet and the front end. The report inlines every asset and pins
 * its two scripts by hash in a Content-Security-Policy meta tag; the dashboard links them from {@code /static/}.
 */
public final class Page {
    public static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final String WEB = "dev/loupe/report/web/";

    private Page() {
    }

    /** A static asset by name: {@code loupe.js}, {@code loupe.css} or {@code echarts.min.js}; {@code null} otherwise. */
    public static byte[] asset(String name) {
        String path = switch (name) {
            case "loupe.js", "loupe.css" -> WEB + name;
            case "echarts.min.js" -> ECHARTS;
            default -> null;
        };
        if (path == null) {
            return null;
        }
        try (InputStream in = Page.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new InternalException("Asset " + path + " is missing from the class path", null);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new InternalException("Cannot read asset " + path + ": " + e.getMessage(), e);
        }
    }

    private static String text(String name) {
        return new String(asset(name), StandardCharsets.UTF_8);
    }

    /** The self-contained page: everything inline, works from file://. */
    public static String inline(String title, Object data) {
        String echarts = scriptSafe(text("echarts.min.js"));
        String app = scriptSafe(text("loupe.js"));
        String csp = "default-src 'none'; script-src '" + sha256(echarts) + "' '" + sha256(app) + "'; "
                + "style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'";
        return shell(title, "<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp + "\">\n<style>\n"
                        + text("loupe.css").replace("</", "<\\/") + "\n</style>\n",
                data, "<script>" + echarts + "</script>\n<script>" + app + "</script>\n");
    }

    /** The dashboard page: assets linked from {@code base + "static/"}. */
    public static String linked(String title, Object data, String base) {
        String b = html(base);
        return shell(title, "<link rel=\"stylesheet\" href=\"" + b + "static/loupe.css\">\n", data,
                "<script src=\"" + b + "static/echarts.min.js\"></script>\n<script src=\"" + b + "static/loupe.js\"></script>\n");
    }

    private static String shell(String title, String head, Object data, String scripts) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"referrer\" content=\"no-referrer\">\n"
                + "<link rel=\"icon\" href=\"data:,\">\n"
                + "<title>" + html(title) + "</title>\n" + head + "</head>\n<body>\n"
                + "<header class=\"top\"><span class=\"brand\">Loupe</span><span class=\"sub\">" + html(title) + "</span></header>\n"
                + "<main id=\"loupe-root\"><noscript>This page needs JavaScript to draw its charts.</noscript></main>\n"
                + "<script type=\"application/json\" id=\"loupe-data\">" + Json.forScript(data) + "</script>\n"
                + scripts + "</body>\n</html>\n";
    }

    /** Escapes text for HTML content and double-quoted attributes. */
    public static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Keeps inline script text from ending its element early (it holds no data, only code). */
    static String scriptSafe(String js) {
        return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT").replace("<!--", "<\\!--");
    }

    static String sha256(String script) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new InternalException("SHA-256 is not available", e);
        }
    }
}
