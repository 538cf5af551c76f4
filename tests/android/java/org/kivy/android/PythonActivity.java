package org.kivy.android;

import android.app.Activity;
import android.content.SharedPreferences;
import standin.Device;

/** Stand-in: python-for-android's activity; mActivity is the running one, as on a phone. */
public class PythonActivity extends Activity {
    public static PythonActivity mActivity = null;

    @Override
    public SharedPreferences getSharedPreferences(String name, int mode) {
        if (mode != MODE_PRIVATE) throw new SecurityException("MODE_WORLD_READABLE no longer supported");
        return Device.preferences(name);
    }

    @Override
    public String getPackageName() { return "uk.gov.example.tellusonce"; }

    @Override
    public java.io.File getFilesDir() { return Device.filesDir(); }

    @Override
    public android.content.res.Resources getResources() { return Device.resources(); }

    public volatile boolean finished = false;

    public void finishAndRemoveTask() { finished = true; }

    public volatile int keyboardInputType = -1;

    /** Kivy's SDL2 window calls this when a text box asks for the keyboard (python-for-android). */
    public void changeKeyboard(int inputType) { keyboardInputType = inputType; }

    public boolean moveTaskToBack(boolean nonRoot) { return true; }
}
