package standin;

import android.content.SharedPreferences;
import java.io.File;
import java.security.Security;
import org.kivy.android.PythonActivity;

/**
 * The simulated phone: what Android sets up before the app's Python starts. Preferences live in one
 * folder (the app's data, which a transfer copies) and Keystore keys in another (the secure hardware,
 * which never leaves the phone), so a test can move one without the other.
 */
public final class Device {
    private static File preferencesDir;
    private static File keystoreDir;
    static volatile boolean keystoreBroken = false;

    private Device() {}

    public static synchronized void boot(String preferencesFolder, String keystoreFolder) {
        preferencesDir = new File(preferencesFolder);
        keystoreDir = new File(keystoreFolder);
        preferencesDir.mkdirs();
        keystoreDir.mkdirs();
        if (Security.getProvider(AndroidKeyStoreProvider.NAME) == null) {
            Security.addProvider(new AndroidKeyStoreProvider());
        }
        PythonActivity.mActivity = new PythonActivity();
    }

    private static File filesDir;
    private static android.content.res.Resources resources;

    /**
     * The screen: Android's density (2.75 on a 440 dpi phone) and the system text size; like Android,
     * scaledDensity is their product, and python-for-android's Hardware.metrics is the same object.
     */
    public static void display(String filesFolder, float density, int densityDpi, float fontScale) {
        filesDir = new File(filesFolder);
        filesDir.mkdirs();
        android.util.DisplayMetrics metrics = org.renpy.android.Hardware.metrics;
        metrics.density = density;
        metrics.densityDpi = densityDpi;
        metrics.scaledDensity = density * fontScale;
        metrics.xdpi = metrics.ydpi = densityDpi;
        android.content.res.Configuration configuration = new android.content.res.Configuration();
        configuration.fontScale = fontScale;
        configuration.densityDpi = densityDpi;
        resources = new android.content.res.Resources(metrics, configuration);
    }

    public static File filesDir() { return filesDir; }

    public static android.content.res.Resources resources() { return resources; }

    /** The Keystore daemon stops answering (what Android reports as a ProviderException or KeyStoreException). */
    public static void breakKeystore(boolean broken) { keystoreBroken = broken; }

    public static SharedPreferences preferences(String name) {
        return new FilePreferences(new File(preferencesDir, name + ".xml"));
    }

    static File keystoreDir() { return keystoreDir; }

    // -- text to speech: which engines are open, what was said in which language

    private static final java.util.Set<Object> openEngines = java.util.Collections.synchronizedSet(new java.util.HashSet<>());
    private static final java.util.List<String> spoken = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private static volatile java.util.List<String> voices = java.util.Arrays.asList("en", "cy", "fr", "nb", "de");
    private static volatile boolean ttsQueriesDeclared = false;
    private static volatile long ttsBindMillis = 150;

    /** The manifest's <queries> intent actions (package visibility, Android 11+). */
    public static void declareQueries(String[] intentActions) {
        ttsQueriesDeclared = java.util.Arrays.asList(intentActions).contains("android.intent.action.TTS_SERVICE");
    }

    /** The languages the phone's TTS engine has voices for, as language subtags ("en", "cy"). */
    public static void installVoices(String[] languages) { voices = java.util.Arrays.asList(languages); }

    public static String[] spoken() { return spoken.toArray(new String[0]); }

    public static int openTtsEngines() { return openEngines.size(); }

    public static void ttsOpened(Object engine) { openEngines.add(engine); }

    public static void ttsShutDown(Object engine) { openEngines.remove(engine); }

    public static boolean ttsServiceVisible() { return ttsQueriesDeclared; }

    public static long ttsBindMillis() { return ttsBindMillis; }

    public static boolean ttsHasVoice(java.util.Locale locale) { return voices.contains(locale.getLanguage()); }

    public static void ttsSpoke(String languageTag, String text) { spoken.add(languageTag + "|" + text); }
}
