package dev.loupe.report;

import dev.loupe.api.InternalException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * The one HTML page of both surfaces: a shell, the view-model data in {@code <script type="application/json">}
 * (escaped by {@link Json#forScript}), the stylesheet and the front end. The front end is plain scripts, no build
 * step ({@link #scripts}): shared helpers ({@code web/core.js}), one module per panel beside its Java class
 * ({@link Panel#script()}), the page views ({@code web/runs.js}, {@code web/compare.js}) and {@code web/boot.js}. The
 * report inlines ECharts and the scripts its panels use and pins each by hash in a Content-Security-Policy meta tag;
 * the dashboard links them from {@code /static/}.
 */
public final class Page {
    public static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final String WEB = "dev/loupe/report/web/";

    /** A front-end script: its name under {@code /static/} and where it lives on the class path. */
    public record Script(String name, String resource, ClassLoader loader) {
        byte[] bytes() {
            return read(loader, resource);
        }
    }

    private Page() {
    }

    /**
     * The scripts of a page, in load order: ECharts, the shared helpers, the modules of the named panels (registry
     * order; panels without a module are skipped), the page views and the boot script.
     */
    public static List<Script> scripts(PanelRegistry registry, Collection<String> panelIds) {
        ClassLoader own = Page.class.getClassLoader();
        List<Script> out = new ArrayList<>();
        out.add(new Script("echarts.min.js", ECHARTS, own));
        out.add(new Script("core.js", WEB + "core.js", own));
        out.add(new Script("sample.js", WEB + "sample.js", own)); // Loupe.openSample, the sample view any panel opens
        out.add(new Script("attention.js", WEB + "attention.js", own)); // its attention views
        out.add(new Script("points.js", WEB + "points.js", own)); // colours, lasso test, legend of projected points
        out.add(new Script("scatter.js", WEB + "scatter.js", own));
        for (Panel p : registry.panels()) {
            ClassLoader loader = p.getClass().getClassLoader();
            if (panelIds.contains(p.id()) && p.script() != null && loader.getResource(p.script()) != null) {
                out.add(new Script("panels/" + p.id() + ".js", p.script(), loader));
            }
        }
        for (String page : List.of("runs.js", "compare.js", "boot.js")) {
            out.add(new Script(page, WEB + page, own));
        }
        return out;
    }

    /** Every script the dashboard may link: each panel of the registry. */
    public static List<Script> scripts(PanelRegistry registry) {
        return scripts(registry, registry.panels().stream().map(Panel::id).toList());
    }

    /** A static asset by name ({@code loupe.css} or a script of {@link #scripts(PanelRegistry)}); {@code null} otherwise. */
    public static byte[] asset(String name, PanelRegistry registry) {
        if (name.equals("loupe.css")) {
            return read(Page.class.getClassLoader(), WEB + name);
        }
        for (Script s : scripts(registry)) {
            if (s.name().equals(name)) {
                return s.bytes();
            }
        }
        return null;
    }

    private static byte[] read(ClassLoader loader, String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new InternalException("Asset " + path + " is missing from the class path", null);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new InternalException("Cannot read asset " + path + ": " + e.getMessage(), e);
        }
    }

    /** The self-contained page: everything inline, works from file://; each script pinned by its hash. */
    public static String inline(String title, Object data, List<Script> scripts) {
        StringBuilder hashes = new StringBuilder();
        StringBuilder tags = new StringBuilder();
        for (Script s : scripts) {
            String code = scriptSafe(new String(s.bytes(), StandardCharsets.UTF_8));
            hashes.append(" '").append(sha256(code)).append('\'');
            tags.append("<script>").append(code).append("</script>\n");
        }
        String csp = "default-src 'none'; script-src" + hashes + "; "
                + "style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'";
        String css = new String(read(Page.class.getClassLoader(), WEB + "loupe.css"), StandardCharsets.UTF_8);
        return shell(title, "<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp + "\">\n<style>\n"
                + css.replace("</", "<\\/") + "\n</style>\n", data, tags.toString(), "#");
    }

    /** The dashboard page: assets linked from {@code base + "static/"}. */
    public static String linked(String title, Object data, String base, List<Script> scripts) {
        String b = html(base);
        StringBuilder tags = new StringBuilder();
        for (Script s : scripts) {
            tags.append("<script src=\"").append(b).append("static/").append(html(s.name())).append("\"></script>\n");
        }
        return shell(title, "<link rel=\"stylesheet\" href=\"" + b + "static/loupe.css\">\n", data, tags.toString(), base);
    }

    /**
     * The page a dashboard page route answers when it fails (an unknown run, a comparison of one run): what happened,
     * what to do, and the way back to the runs list. No script; the API routes keep answering JSON.
     */
    public static String error(int status, String code, String message, String base) {
        String b = html(base);
        String title = status == 404 ? "Not found" : status >= 500 ? "Something went wrong" : "This page cannot be shown";
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"referrer\" content=\"no-referrer\">\n<link rel=\"icon\" href=\"data:,\">\n"
                + "<title>" + html(title) + "</title>\n<link rel=\"stylesheet\" href=\"" + b + "static/loupe.css\">\n</head>\n<body>\n"
                + "<header class=\"top\"><a class=\"brand\" href=\"" + b + "\">Loupe</a><span class=\"sub\">" + html(title) + "</span></header>\n"
                + "<main class=\"errorpage\"><h1>" + html(title) + "</h1>\n<div class=\"warn\" data-code=\"" + html(code) + "\">"
                + html(message) + "</div>\n<p class=\"muted\">HTTP " + status + " \u00b7 " + html(code) + "</p>\n"
                + "<p><a href=\"" + b + "\">\u2190 all runs</a></p></main>\n</body>\n</html>\n";
    }

    private static String shell(String title, String head, Object data, String scripts, String home) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"referrer\" content=\"no-referrer\">\n"
                + "<link rel=\"icon\" href=\"data:,\">\n"
                + "<title>" + html(title) + "</title>\n" + head + "</head>\n<body>\n"
                + "<header class=\"top\"><a class=\"brand\" href=\"" + html(home) + "\">Loupe</a><span class=\"sub\">" + html(title)
                + "</span></header>\n"
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
