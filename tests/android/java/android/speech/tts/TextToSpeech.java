package android.speech.tts;

import android.content.Context;
import android.os.Bundle;
import java.util.HashMap;
import java.util.Locale;
import standin.Device;

/**
 * Stand-in with android.speech.tts.TextToSpeech's public signatures and its timing: the engine binds
 * on another thread and calls OnInitListener.onInit later; until then setLanguage and speak fail, as
 * on a phone. Apps targeting Android 11+ see no engine unless the manifest's <queries> names
 * Engine.INTENT_ACTION_TTS_SERVICE (package visibility): then onInit gets ERROR.
 */
public class TextToSpeech {
    public static final int SUCCESS = 0;
    public static final int ERROR = -1;
    public static final int QUEUE_FLUSH = 0;
    public static final int QUEUE_ADD = 1;
    public static final int LANG_COUNTRY_VAR_AVAILABLE = 2;
    public static final int LANG_COUNTRY_AVAILABLE = 1;
    public static final int LANG_AVAILABLE = 0;
    public static final int LANG_MISSING_DATA = -1;
    public static final int LANG_NOT_SUPPORTED = -2;

    public interface OnInitListener {
        void onInit(int status);
    }

    public static class Engine {
        public static final String INTENT_ACTION_TTS_SERVICE = "android.intent.action.TTS_SERVICE";
    }

    private volatile boolean connected = false;
    private volatile boolean shutDown = false;
    private volatile long speakingUntil = 0;
    private Locale language = Locale.getDefault();

    public TextToSpeech(Context context, OnInitListener listener) {
        if (context == null) throw new NullPointerException("context");
        Device.ttsOpened(this);
        Thread binder = new Thread(() -> {
            try {
                Thread.sleep(Device.ttsBindMillis());
            } catch (InterruptedException e) {
                return;
            }
            boolean visible = Device.ttsServiceVisible();
            connected = visible && !shutDown;
            if (listener != null) listener.onInit(visible ? SUCCESS : ERROR);
        }, "tts-binder");
        binder.setDaemon(true);
        binder.start();
    }

    public int isLanguageAvailable(Locale loc) {
        if (!connected) return LANG_NOT_SUPPORTED;
        return Device.ttsHasVoice(loc) ? LANG_AVAILABLE : LANG_NOT_SUPPORTED;
    }

    public int setLanguage(Locale loc) {
        if (!connected) return LANG_NOT_SUPPORTED;
        int result = isLanguageAvailable(loc);
        if (result >= LANG_AVAILABLE) language = loc;
        return result;
    }

    @Deprecated
    public Locale getLanguage() { return language; }

    public int speak(CharSequence text, int queueMode, Bundle params, String utteranceId) {
        if (!connected || shutDown) return ERROR;
        if (text == null) return ERROR;
        Device.ttsSpoke(language.toLanguageTag(), text.toString());
        speakingUntil = System.currentTimeMillis() + Math.min(2000, 5 + text.length());
        return SUCCESS;
    }

    @Deprecated
    public int speak(String text, int queueMode, HashMap<String, String> params) {
        return speak(text, queueMode, (Bundle) null, null);
    }

    public boolean isSpeaking() {
        return connected && !shutDown && System.currentTimeMillis() < speakingUntil;
    }

    public int stop() {
        speakingUntil = 0;
        return connected ? SUCCESS : ERROR;
    }

    public void shutdown() {
        shutDown = true;
        connected = false;
        Device.ttsShutDown(this);
    }
}
