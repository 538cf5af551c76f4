package standin;

import android.content.SharedPreferences;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** SharedPreferences kept in one file, as Android keeps shared_prefs/NAME.xml. */
final class FilePreferences implements SharedPreferences {
    private final File file;

    FilePreferences(File file) { this.file = file; }

    private synchronized Properties load() {
        Properties values = new Properties();
        if (file.exists()) {
            try (InputStream in = new FileInputStream(file)) {
                values.loadFromXML(in);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return values;
    }

    @Override
    public Map<String, ?> getAll() {
        Map<String, String> all = new HashMap<>();
        Properties values = load();
        for (String key : values.stringPropertyNames()) all.put(key, values.getProperty(key));
        return all;
    }

    @Override
    public String getString(String key, String defValue) {
        return load().getProperty(key, defValue);
    }

    @Override
    public boolean contains(String key) { return load().containsKey(key); }

    @Override
    public Editor edit() { return new FileEditor(); }

    private final class FileEditor implements Editor {
        private final Map<String, String> puts = new HashMap<>();
        private final java.util.Set<String> removals = new java.util.HashSet<>();
        private boolean clearAll = false;

        @Override
        public Editor putString(String key, String value) {
            puts.put(key, value);
            removals.remove(key);
            return this;
        }

        @Override
        public Editor remove(String key) {
            removals.add(key);
            puts.remove(key);
            return this;
        }

        @Override
        public Editor clear() {
            clearAll = true;
            return this;
        }

        @Override
        public boolean commit() {
            synchronized (FilePreferences.this) {
                Properties values = clearAll ? new Properties() : load();
                for (String key : removals) values.remove(key);
                for (Map.Entry<String, String> put : puts.entrySet()) {
                    if (put.getValue() == null) values.remove(put.getKey());
                    else values.setProperty(put.getKey(), put.getValue());
                }
                try (OutputStream out = new FileOutputStream(file)) {
                    values.storeToXML(out, null, "UTF-8");
                } catch (IOException e) {
                    return false;
                }
                return true;
            }
        }

        @Override
        public void apply() { commit(); }
    }
}
