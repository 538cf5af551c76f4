package org.renpy.android;

import android.util.DisplayMetrics;

/** Stand-in: python-for-android's Hardware class, where Kivy reads dpi and scaledDensity from. */
public class Hardware {
    public static DisplayMetrics metrics = new DisplayMetrics();

    public static int getDPI() { return metrics.densityDpi; }
}
