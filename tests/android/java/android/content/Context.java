package android.content;

/** Stand-in: android.content.Context, the part an app calls. */
public abstract class Context {
    public static final int MODE_PRIVATE = 0x0000;

    public abstract SharedPreferences getSharedPreferences(String name, int mode);

    public abstract String getPackageName();

    public abstract java.io.File getFilesDir();

    public abstract android.content.res.Resources getResources();

    public Context getApplicationContext() { return this; }
}
