package android.content.res;

import android.util.DisplayMetrics;

/** Stand-in: android.content.res.Resources, the display's metrics and configuration. */
public class Resources {
    private final DisplayMetrics metrics;
    private final Configuration configuration;

    public Resources(DisplayMetrics metrics, Configuration configuration) {
        this.metrics = metrics;
        this.configuration = configuration;
    }

    public DisplayMetrics getDisplayMetrics() { return metrics; }

    public Configuration getConfiguration() { return configuration; }
}
