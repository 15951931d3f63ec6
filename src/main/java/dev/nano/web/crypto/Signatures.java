package dev.nano.web.crypto;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/** Verification as WebCrypto's verify() answers it: a malformed signature is false, not an error. */
final class Signatures {

    private Signatures() {
    }

    static boolean verifies(Signature signature, PublicKey key, byte[] data, byte[] signed)
            throws GeneralSecurityException {
        signature.initVerify(key);
        signature.update(data);
        try {
            return signature.verify(signed);
        } catch (SignatureException e) {
            return false;
        }
    }
}
