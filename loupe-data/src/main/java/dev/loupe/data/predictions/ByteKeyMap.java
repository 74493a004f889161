package dev.loupe.data.predictions;

import java.util.Arrays;

/**
 * Maps short byte strings (class names as UTF-8, and their accepted spellings such as {@code 1.0} for
 * {@code 1}) to class indices without allocating on lookup: a linear scan for a handful of keys, an
 * open-addressing hash table beyond that.
 */
final class ByteKeyMap {
    private static final int LINEAR_MAX = 8;
    private byte[][] keys = new byte[8][];
    private int[] values = new int[8];
    private int size;
    private int[] table; // slot -> entry index + 1, 0 = empty; built when size > LINEAR_MAX

    int size() {
        return size;
    }

    /** The value for {@code b[s, e)}, or -1 when absent. */
    int get(byte[] b, int s, int e) {
        int len = e - s;
        if (table == null) {
            for (int i = 0; i < size; i++) {
                if (equal(keys[i], b, s, len)) {
                    return values[i];
                }
            }
            return -1;
        }
        int m = table.length - 1;
        int slot = hash(b, s, e) & m;
        for (;;) {
            int entry = table[slot];
            if (entry == 0) {
                return -1;
            }
            if (equal(keys[entry - 1], b, s, len)) {
                return values[entry - 1];
            }
            slot = (slot + 1) & m;
        }
    }

    /** Adds a key (copied by the caller if it aliases a buffer); the key must be absent. */
    void put(byte[] key, int value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        size++;
        if (size > LINEAR_MAX) {
            if (table == null || size * 2 > table.length) {
                rehash(Integer.highestOneBit(size * 4 - 1) << 1);
            } else {
                insert(size - 1);
            }
        }
    }

    private void rehash(int capacity) {
        table = new int[capacity];
        for (int i = 0; i < size; i++) {
            insert(i);
        }
    }

    private void insert(int entry) {
        int m = table.length - 1;
        byte[] k = keys[entry];
        int slot = hash(k, 0, k.length) & m;
        while (table[slot] != 0) {
            slot = (slot + 1) & m;
        }
        table[slot] = entry + 1;
    }

    private static boolean equal(byte[] key, byte[] b, int s, int len) {
        if (key.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (key[i] != b[s + i]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(byte[] b, int s, int e) {
        int h = 0x811C9DC5;
        for (int i = s; i < e; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
