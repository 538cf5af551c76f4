package standin;

import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cipher "AES/GCM/NoPadding" for Keystore keys, with Android's rules: the key must have been made
 * for GCM with no padding and for this purpose; encrypting picks its own 12-byte IV (a caller's IV is
 * refused while randomized encryption is required); decrypting needs a GCMParameterSpec; a wrong tag
 * is an AEADBadTagException. The AES itself is the JDK's.
 */
public final class AesGcmCipherSpi extends CipherSpi {
    private Cipher inner;
    private byte[] iv;

    @Override
    protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
        if (!"GCM".equalsIgnoreCase(mode)) throw new NoSuchAlgorithmException("Unsupported mode: " + mode);
    }

    @Override
    protected void engineSetPadding(String padding) throws NoSuchPaddingException {
        if (!"NoPadding".equalsIgnoreCase(padding)) throw new NoSuchPaddingException("Unsupported padding: " + padding);
    }

    @Override
    protected int engineGetBlockSize() { return 16; }

    @Override
    protected int engineGetOutputSize(int inputLen) { return inputLen + 16; }

    @Override
    protected byte[] engineGetIV() { return iv == null ? null : iv.clone(); }

    @Override
    protected AlgorithmParameters engineGetParameters() {
        if (iv == null) return null;
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("GCM");
            params.init(new GCMParameterSpec(128, iv));
            return params;
        } catch (NoSuchAlgorithmException | InvalidParameterSpecException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
        try {
            engineInit(opmode, key, (AlgorithmParameterSpec) null, random);
        } catch (InvalidAlgorithmParameterException e) {
            throw new InvalidKeyException(e.getMessage(), e);
        }
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        try {
            engineInit(opmode, key, params == null ? null : params.getParameterSpec(GCMParameterSpec.class), random);
        } catch (InvalidParameterSpecException e) {
            throw new InvalidAlgorithmParameterException(e);
        }
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (!(key instanceof KeystoreSecretKey)) {
            throw new InvalidKeyException("Unsupported key: " + (key == null ? "null" : key.getClass().getName()));
        }
        String alias = ((KeystoreSecretKey) key).alias;
        byte[] material = KeystoreSpi.secret(alias);
        if (material == null) throw new InvalidKeyException("Key not found: " + alias);
        String[] auth = KeystoreSpi.authorizations(alias);
        if (!Arrays.asList(auth[0].split(",")).contains("GCM")) {
            throw new InvalidKeyException("Incompatible block mode: GCM (key authorized for " + auth[0] + ")");
        }
        if (!Arrays.asList(auth[1].split(",")).contains("NoPadding")) {
            throw new InvalidKeyException("Incompatible padding mode: NoPadding (key authorized for " + auth[1] + ")");
        }
        int purposes = Integer.parseInt(auth[2]);
        boolean randomized = Boolean.parseBoolean(auth[3]);
        boolean encrypting = opmode == Cipher.ENCRYPT_MODE || opmode == Cipher.WRAP_MODE;
        int needed = encrypting ? 1 : 2;  // KeyProperties.PURPOSE_ENCRYPT, PURPOSE_DECRYPT
        if ((purposes & needed) == 0) throw new InvalidKeyException("Incompatible purpose");
        GCMParameterSpec gcm;
        if (encrypting) {
            if (params != null && randomized) {
                throw new InvalidAlgorithmParameterException(
                    "Caller-provided IV not permitted when encrypting with randomized encryption required");
            }
            iv = new byte[12];
            (random == null ? new SecureRandom() : random).nextBytes(iv);
            gcm = new GCMParameterSpec(128, iv);
        } else {
            if (!(params instanceof GCMParameterSpec)) {
                throw new InvalidAlgorithmParameterException("GCMParameterSpec must be provided when decrypting");
            }
            gcm = (GCMParameterSpec) params;
            if (gcm.getIV().length != 12) throw new InvalidAlgorithmParameterException("Unsupported IV length");
            if (gcm.getTLen() < 96 || gcm.getTLen() > 128 || gcm.getTLen() % 8 != 0) {
                throw new InvalidAlgorithmParameterException("Unsupported MAC length: " + gcm.getTLen());
            }
            iv = gcm.getIV();
        }
        try {
            inner = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            inner.init(encrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(material, "AES"), gcm);
        } catch (java.security.GeneralSecurityException e) {
            throw new InvalidKeyException(e);
        }
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int offset, int len) {
        return inner.update(input, offset, len);
    }

    @Override
    protected int engineUpdate(byte[] input, int offset, int len, byte[] output, int outputOffset)
            throws ShortBufferException {
        return inner.update(input, offset, len, output, outputOffset);
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int offset, int len)
            throws IllegalBlockSizeException, BadPaddingException {
        if (inner == null) throw new IllegalStateException("Not initialized");
        return inner.doFinal(input, offset, len);  // a wrong key or tag: AEADBadTagException, as on Android
    }

    @Override
    protected int engineDoFinal(byte[] input, int offset, int len, byte[] output, int outputOffset)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        return inner.doFinal(input, offset, len, output, outputOffset);
    }

}
