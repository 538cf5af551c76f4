package android.app;

import android.content.Context;

/** Stand-in: android.app.Activity is a Context (through ContextThemeWrapper and ContextWrapper). */
public abstract class Activity extends Context {
}
