package standin;

import android.security.keystore.KeyGenParameterSpec;
import android.security.keystore.KeyProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.security.InvalidAlgorithmParameterException;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.KeyGeneratorSpi;
import javax.crypto.SecretKey;

/** KeyGenerator "AES" of the AndroidKeyStore provider: only a KeyGenParameterSpec initialises it. */
public final class AesKeyGeneratorSpi extends KeyGeneratorSpi {
    private KeyGenParameterSpec spec;
    private final SecureRandom random = new SecureRandom();

    @Override
    protected void engineInit(SecureRandom random) {
        throw new UnsupportedOperationException(
            "Cannot initialize without a android.security.keystore.KeyGenParameterSpec parameter");
    }

    @Override
    protected void engineInit(int keysize, SecureRandom random) {
        engineInit(random);
    }

    @Override
    protected void engineInit(AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidAlgorithmParameterException {
        if (!(params instanceof KeyGenParameterSpec)) {
            throw new InvalidAlgorithmParameterException(
                "Cannot initialize without a android.security.keystore.KeyGenParameterSpec parameter");
        }
        KeyGenParameterSpec candidate = (KeyGenParameterSpec) params;
        int size = candidate.getKeySize() == -1 ? 128 : candidate.getKeySize();
        if (size != 128 && size != 192 && size != 256) {
            throw new InvalidAlgorithmParameterException("Unsupported key size: " + size);
        }
        int purposes = candidate.getPurposes();
        if ((purposes & (KeyProperties.PURPOSE_ENCRYPT | KeyProperties.PURPOSE_DECRYPT)) == 0) {
            throw new InvalidAlgorithmParameterException("An AES key needs an encrypt or decrypt purpose");
        }
        for (String mode : candidate.getBlockModes()) {
            if (!Arrays.asList("ECB", "CBC", "CTR", "GCM").contains(mode)) {
                throw new InvalidAlgorithmParameterException("Unsupported block mode: " + mode);
            }
        }
        for (String padding : candidate.getEncryptionPaddings()) {
            if (!Arrays.asList("NoPadding", "PKCS7Padding").contains(padding)) {
                throw new InvalidAlgorithmParameterException("Unsupported encryption padding: " + padding);
            }
        }
        spec = candidate;
    }

    @Override
    protected SecretKey engineGenerateKey() {
        if (spec == null) throw new IllegalStateException("Not initialized");
        int size = spec.getKeySize() == -1 ? 128 : spec.getKeySize();
        byte[] material = new byte[size / 8];
        random.nextBytes(material);
        try {
            Files.write(KeystoreSpi.keyFile(spec.getKeystoreAlias()).toPath(), material);
            // What Keystore enforces on every later use of the key (block modes, paddings, purposes).
            Files.write(KeystoreSpi.authorizationsFile(spec.getKeystoreAlias()).toPath(),
                (String.join(",", spec.getBlockModes()) + ";" + String.join(",", spec.getEncryptionPaddings())
                 + ";" + spec.getPurposes() + ";" + spec.isRandomizedEncryptionRequired()).getBytes("UTF-8"));
        } catch (IOException e) {
            throw new ProviderException("Failed to generate key", e);
        }
        return new KeystoreSecretKey(spec.getKeystoreAlias(), KeyProperties.KEY_ALGORITHM_AES);
    }
}
