package android.security.keystore;

/** Stand-in: the constants of android.security.keystore.KeyProperties (API 23+), same names and values. */
public abstract class KeyProperties {
    private KeyProperties() {}

    public static final int PURPOSE_ENCRYPT = 1 << 0;
    public static final int PURPOSE_DECRYPT = 1 << 1;
    public static final int PURPOSE_SIGN = 1 << 2;
    public static final int PURPOSE_VERIFY = 1 << 3;

    public static final String KEY_ALGORITHM_AES = "AES";

    public static final String BLOCK_MODE_ECB = "ECB";
    public static final String BLOCK_MODE_CBC = "CBC";
    public static final String BLOCK_MODE_CTR = "CTR";
    public static final String BLOCK_MODE_GCM = "GCM";

    public static final String ENCRYPTION_PADDING_NONE = "NoPadding";
    public static final String ENCRYPTION_PADDING_PKCS7 = "PKCS7Padding";
}
