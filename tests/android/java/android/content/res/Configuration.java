package android.content.res;

/** Stand-in: android.content.res.Configuration; fontScale is the system's text size (Settings > Display). */
public final class Configuration {
    public float fontScale = 1.0f;
    public int densityDpi;
}
