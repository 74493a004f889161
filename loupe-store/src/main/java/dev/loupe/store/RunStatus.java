package dev.loupe.store;

import dev.loupe.api.InvalidInputException;

import java.util.Locale;

/** Life cycle of a run. {@code crashed}: its process stopped heartbeating without closing the run. */
public enum RunStatus {
    RUNNING, FINISHED, FAILED, CRASHED;

    /** The lower-case name stored in the database and shown to users. */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus parse(String s) {
        for (RunStatus st : values()) {
            if (st.dbName().equalsIgnoreCase(s)) {
                return st;
            }
        }
        throw InvalidInputException.parameter("status", "one of running, finished, failed, crashed", "'" + s + "'");
    }
}
