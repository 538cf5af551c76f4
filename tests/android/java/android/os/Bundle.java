package android.os;

/** Stand-in: android.os.Bundle, only as a parameter type (the app passes null). */
public final class Bundle {
}
