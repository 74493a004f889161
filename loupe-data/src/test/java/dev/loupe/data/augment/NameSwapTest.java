package dev.loupe.data.augment;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link NameSwap}: partners by position, ambiguous names left alone, whole words with the list's capitals only. */
class NameSwapTest {
    static final List<String> FEMALE = List.of("Anna", "Beth", "Jean", "Ann-Marie", "Clara");
    static final List<String> MALE = List.of("Adam", "Jean", "Bob", "Carl");

    @Test
    void swapsWholeNamesBothWaysAndLeavesTheRest() {
        NameSwap s = new NameSwap(FEMALE, MALE);
        // Jean is on both lists: ambiguous, left out; then position i pairs with position i
        assertEquals("Adam", s.partnerOf("Anna"));
        assertEquals("Bob", s.partnerOf("Beth"));
        assertEquals("Carl", s.partnerOf("Ann-Marie"));
        assertEquals("Adam", s.partnerOf("Clara")); // the longer list wraps around
        assertEquals("Anna", s.partnerOf("Adam"));
        assertEquals("Beth", s.partnerOf("Bob"));
        assertNull(s.partnerOf("Jean"));
        assertEquals("Adam met Beth; Jean and Carl's friend Anna-Lisa, annabelle and ANNA stayed.",
                s.apply("Anna met Bob; Jean and Ann-Marie's friend Anna-Lisa, annabelle and ANNA stayed."));
        String none = "No names here at all.";
        assertSame(none, s.apply(none));
        assertNull(s.apply(null));
        // deterministic: the same lists give the same swap
        assertEquals(s.apply("Clara and Bob"), new NameSwap(FEMALE, MALE).apply("Clara and Bob"));
        assertThrows(IllegalArgumentException.class, () -> new NameSwap(List.of("Jean"), List.of("Jean", "Bob")));
    }
}
