package android.content;

import java.util.Map;

/** Stand-in: android.content.SharedPreferences, the methods an app calls. */
public interface SharedPreferences {
    Map<String, ?> getAll();
    String getString(String key, String defValue);
    boolean contains(String key);
    Editor edit();

    interface Editor {
        Editor putString(String key, String value);
        Editor remove(String key);
        Editor clear();
        boolean commit();
        void apply();
    }
}
