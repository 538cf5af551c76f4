package android.security.keystore;

import java.security.spec.AlgorithmParameterSpec;

/**
 * Stand-in with android.security.keystore.KeyGenParameterSpec's public signatures (the part the app
 * uses): the Builder's setters are varargs (String...), as on Android, so a caller handing one list
 * meets the same ArrayStoreException a phone gives.
 */
public final class KeyGenParameterSpec implements AlgorithmParameterSpec {
    private final String keystoreAlias;
    private final int purposes;
    private final int keySize;
    private final String[] blockModes;
    private final String[] encryptionPaddings;
    private final boolean randomizedEncryptionRequired;
    private final boolean userAuthenticationRequired;

    private KeyGenParameterSpec(Builder b) {
        keystoreAlias = b.keystoreAlias;
        purposes = b.purposes;
        keySize = b.keySize;
        blockModes = b.blockModes.clone();
        encryptionPaddings = b.encryptionPaddings.clone();
        randomizedEncryptionRequired = b.randomizedEncryptionRequired;
        userAuthenticationRequired = b.userAuthenticationRequired;
    }

    public String getKeystoreAlias() { return keystoreAlias; }
    public int getPurposes() { return purposes; }
    public int getKeySize() { return keySize; }
    public String[] getBlockModes() { return blockModes.clone(); }
    public String[] getEncryptionPaddings() { return encryptionPaddings.clone(); }
    public boolean isRandomizedEncryptionRequired() { return randomizedEncryptionRequired; }
    public boolean isUserAuthenticationRequired() { return userAuthenticationRequired; }

    public static final class Builder {
        private final String keystoreAlias;
        private int purposes;
        private int keySize = -1;
        private String[] blockModes = new String[0];
        private String[] encryptionPaddings = new String[0];
        private boolean randomizedEncryptionRequired = true;
        private boolean userAuthenticationRequired = false;

        public Builder(String keystoreAlias, int purposes) {
            if (keystoreAlias == null) throw new NullPointerException("keystoreAlias == null");
            if (keystoreAlias.isEmpty()) throw new IllegalArgumentException("keystoreAlias must not be empty");
            this.keystoreAlias = keystoreAlias;
            this.purposes = purposes;
        }

        public Builder setKeySize(int keySize) {
            if (keySize < 0) throw new IllegalArgumentException("keySize < 0");
            this.keySize = keySize;
            return this;
        }

        public Builder setBlockModes(String... blockModes) {
            this.blockModes = cloneIfNotEmpty(blockModes);
            return this;
        }

        public Builder setEncryptionPaddings(String... paddings) {
            this.encryptionPaddings = cloneIfNotEmpty(paddings);
            return this;
        }

        public Builder setRandomizedEncryptionRequired(boolean required) {
            this.randomizedEncryptionRequired = required;
            return this;
        }

        public Builder setUserAuthenticationRequired(boolean required) {
            this.userAuthenticationRequired = required;
            return this;
        }

        public KeyGenParameterSpec build() {
            return new KeyGenParameterSpec(this);
        }

        // As Android's ArrayUtils.cloneIfNotEmpty: no check here; key generation refuses what it cannot use.
        private static String[] cloneIfNotEmpty(String[] values) {
            return values == null || values.length == 0 ? new String[0] : values.clone();
        }
    }
}
