package standin;

import javax.crypto.SecretKey;

/** A key that stays in the Keystore: like AndroidKeyStoreSecretKey, it has no encoded form. */
public final class KeystoreSecretKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    final String alias;
    private final String algorithm;

    KeystoreSecretKey(String alias, String algorithm) {
        this.alias = alias;
        this.algorithm = algorithm;
    }

    @Override public String getAlgorithm() { return algorithm; }
    @Override public String getFormat() { return null; }
    @Override public byte[] getEncoded() { return null; }
}
