package android.util;

/** Stand-in: android.util.DisplayMetrics's public fields. scaledDensity is density times the system font scale. */
public class DisplayMetrics {
    public float density;
    public float scaledDensity;
    public int densityDpi;
    public int widthPixels;
    public int heightPixels;
    public float xdpi;
    public float ydpi;
}
