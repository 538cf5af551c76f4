package standin;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.Key;
import java.security.KeyStoreException;
import java.security.KeyStoreSpi;
import java.security.ProviderException;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;

/** KeyStore "AndroidKeyStore": aliases of keys that live in the (simulated) secure hardware. */
public final class KeystoreSpi extends KeyStoreSpi {
    static File keyFile(String alias) {
        if (Device.keystoreBroken) throw new ProviderException("Failed to communicate with keystore service");
        return new File(Device.keystoreDir(), alias.replace('/', '_'));
    }

    static File authorizationsFile(String alias) {
        File folder = new File(Device.keystoreDir().getParentFile(), Device.keystoreDir().getName() + "-authorizations");
        folder.mkdirs();
        return new File(folder, alias.replace('/', '_'));
    }

    static String[] authorizations(String alias) {
        try {
            return new String(Files.readAllBytes(authorizationsFile(alias).toPath()), "UTF-8").split(";", -1);
        } catch (IOException e) {
            throw new ProviderException(e);
        }
    }

    static byte[] secret(String alias) {
        File file = keyFile(alias);
        try {
            return file.exists() ? Files.readAllBytes(file.toPath()) : null;
        } catch (IOException e) {
            throw new ProviderException(e);
        }
    }

    @Override
    public void engineLoad(InputStream stream, char[] password) {
        if (stream != null) throw new IllegalArgumentException("InputStream not supported");
        if (password != null) throw new IllegalArgumentException("password not supported");
        if (Device.keystoreBroken) throw new ProviderException("Failed to communicate with keystore service");
    }

    @Override
    public Key engineGetKey(String alias, char[] password) {
        return secret(alias) == null ? null : new KeystoreSecretKey(alias, "AES");
    }

    @Override
    public boolean engineContainsAlias(String alias) { return keyFile(alias).exists(); }

    @Override
    public boolean engineIsKeyEntry(String alias) { return engineContainsAlias(alias); }

    @Override
    public void engineDeleteEntry(String alias) throws KeyStoreException {
        File file = keyFile(alias);
        if (file.exists() && !file.delete()) throw new KeyStoreException("Failed to delete entry: " + alias);
    }

    @Override
    public Enumeration<String> engineAliases() {
        String[] names = Device.keystoreDir().list();
        return Collections.enumeration(Arrays.asList(names == null ? new String[0] : names));
    }

    @Override
    public int engineSize() { return Collections.list(engineAliases()).size(); }

    @Override
    public Date engineGetCreationDate(String alias) {
        File file = keyFile(alias);
        return file.exists() ? new Date(file.lastModified()) : null;
    }

    @Override
    public Certificate[] engineGetCertificateChain(String alias) { return null; }

    @Override
    public Certificate engineGetCertificate(String alias) { return null; }

    @Override
    public void engineSetKeyEntry(String alias, Key key, char[] password, Certificate[] chain)
            throws KeyStoreException {
        throw new KeyStoreException("Importing keys is not part of this stand-in");
    }

    @Override
    public void engineSetKeyEntry(String alias, byte[] key, Certificate[] chain) throws KeyStoreException {
        throw new KeyStoreException("Operation not supported because key encoding is unknown");
    }

    @Override
    public void engineSetCertificateEntry(String alias, Certificate cert) throws KeyStoreException {
        throw new KeyStoreException("Certificate entries are not part of this stand-in");
    }

    @Override
    public boolean engineIsCertificateEntry(String alias) { return false; }

    @Override
    public String engineGetCertificateAlias(Certificate cert) { return null; }

    @Override
    public void engineStore(OutputStream stream, char[] password) {
        throw new UnsupportedOperationException("Can not serialize AndroidKeyStore to OutputStream");
    }
}
