package dev.graft.surgery;

import java.util.Locale;

/** {@code --freeze}: which donors keep their weights during training. */
public enum Freeze {
    DONORS, FIRST, SECOND, NONE;

    public boolean frozen(int donorIndex) {
        switch (this) {
            case DONORS: return true;
            case FIRST: return donorIndex == 0;
            case SECOND: return donorIndex == 1;
            default: return false;
        }
    }

    public static Freeze parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad --freeze '" + s + "': use donors, first, second or none");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
