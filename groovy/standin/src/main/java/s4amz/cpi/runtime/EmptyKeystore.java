package s4amz.cpi.runtime;

import com.sap.it.api.keystore.KeystoreService;
import com.sap.it.api.keystore.exception.KeystoreException;
import java.security.Key;
import java.security.cert.Certificate;

/** The stand-in's tenant keystore: empty; every lookup fails as a missing alias does. */
public final class EmptyKeystore implements KeystoreService {
    @Override
    public Certificate getCertificate(String alias) throws KeystoreException {
        throw new KeystoreException("No keystore entry with alias " + alias);
    }

    @Override
    public Certificate[] getCertificateChain(String alias) throws KeystoreException {
        throw new KeystoreException("No keystore entry with alias " + alias);
    }

    @Override
    public Key getKey(String alias) throws KeystoreException {
        throw new KeystoreException("No keystore entry with alias " + alias);
    }
}
