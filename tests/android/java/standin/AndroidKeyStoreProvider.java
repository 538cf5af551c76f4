package standin;

import java.security.Provider;

/** A JCA provider named "AndroidKeyStore", registered as Android registers its own at process start. */
public final class AndroidKeyStoreProvider extends Provider {
    public static final String NAME = "AndroidKeyStore";

    public AndroidKeyStoreProvider() {
        super(NAME, "1.0", "Stand-in for Android's AndroidKeyStore provider");
        put("KeyStore.AndroidKeyStore", KeystoreSpi.class.getName());
        put("KeyGenerator.AES", AesKeyGeneratorSpi.class.getName());
        put("Cipher.AES/GCM/NoPadding", AesGcmCipherSpi.class.getName());
        // As on Android: only Keystore keys choose this provider when Cipher.getInstance names none.
        put("Cipher.AES/GCM/NoPadding SupportedKeyClasses", KeystoreSecretKey.class.getName());
    }
}
