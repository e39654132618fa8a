package sniff

import (
	"bytes"
	"encoding/binary"
)

const pgpArmor = "-----BEGIN PGP MESSAGE-----"

// OpenPGP packet tags (RFC 9580, section 5).
const (
	tagPKESK  = 1  // public-key encrypted session key
	tagSKESK  = 3  // symmetric-key (passphrase) encrypted session key
	tagSED    = 9  // symmetrically encrypted data (legacy, no integrity)
	tagMarker = 10 // "PGP", to be ignored
	tagSEIPD  = 18 // symmetrically encrypted and integrity protected data
	tagAEAD   = 20 // AEAD encrypted data (draft, written by GnuPG 2.3+)
)

// maxESK bounds the session-key packets before the data: one per
// recipient or passphrase. MaxEncryptedRead bounds them too.
const maxESK = 1000

// openPGPBinary recognises a binary OpenPGP encrypted message by its
// packet sequence, as a single byte proves nothing: an optional marker,
// one or more session-key packets (PKESK or SKESK) with plausible
// versions, algorithms and lengths, then an encrypted data packet.
// Signed-only and compressed messages start otherwise and are not
// encrypted.
func openPGPBinary(s *source) (Encryption, bool, error) {
	ok, err := pgpPackets(s)
	if !ok || err != nil {
		return Encryption{}, false, err
	}
	return encryption(KindOpenPGP, "OpenPGP encrypted message"), true, nil
}

// openPGPArmored decodes the armor at offset off of the file and checks the
// packets inside, so that a document quoting the BEGIN line is not an
// encrypted message. The head holds the first few recipients' packets;
// when it ends before the data packet, up to 64 KiB more is read.
func openPGPArmored(s *source, off int) (Encryption, bool, error) {
	text := s.head[off+len(pgpArmor):]
	for more := false; ; more = true {
		body, ok := armorBody(text, true)
		if !ok {
			return Encryption{}, false, nil
		}
		ok, err := pgpPackets(&source{head: body, size: int64(len(body))})
		if ok {
			return encryption(KindOpenPGP, "OpenPGP encrypted message (ASCII armor)"), true, nil
		}
		if err != errTruncated || more || int64(len(s.head)) >= s.size {
			return Encryption{}, false, nil
		}
		b, err := s.read(0, 64<<10)
		if err != nil {
			return Encryption{}, false, err
		}
		text = b[off+len(pgpArmor):]
	}
}

// pgpPackets walks the packet headers. It returns errTruncated when the
// data ends while the sequence still looks right.
func pgpPackets(s *source) (bool, error) {
	off, esks := int64(0), 0
	for n := 0; n <= maxESK+1; n++ {
		hdr, err := s.read(off, 6)
		if err != nil {
			return false, err
		}
		if len(hdr) == 0 {
			return false, errTruncated
		}
		tag, hlen, blen, partial, ok := pgpHeader(hdr)
		if !ok {
			if len(hdr) < 6 && off+int64(len(hdr)) >= s.size {
				return false, errTruncated
			}
			return false, nil
		}
		switch tag {
		case tagMarker:
			if esks > 0 || partial || blen != 3 {
				return false, nil
			}
		case tagPKESK, tagSKESK:
			if partial || blen > 16<<10 { // larger than any RSA key's session-key packet
				return false, nil
			}
			body, err := s.read(off+int64(hlen), int(min(blen, 32)))
			if err != nil {
				return false, err
			}
			if int64(len(body)) < min(blen, 32) {
				return false, errTruncated
			}
			if !validESK(tag, body, blen) {
				return false, nil
			}
			esks++
		case tagSED, tagSEIPD, tagAEAD:
			if esks == 0 {
				return false, nil
			}
			if tag == tagSED {
				return blen >= 10 || partial, nil // an IV block and more
			}
			v, err := s.read(off+int64(hlen), 1)
			if err != nil {
				return false, err
			}
			if len(v) == 0 {
				return false, errTruncated
			}
			switch {
			case tag == tagSEIPD:
				return v[0] == 1 || v[0] == 2, nil
			default:
				return v[0] == 1, nil
			}
		default:
			return false, nil
		}
		off += int64(hlen) + blen
	}
	return false, nil
}

// pgpHeader parses a packet header (RFC 9580, section 4.2): the tag, the
// header's length, the body's length, and whether that is only the first
// part of a partial-length body.
func pgpHeader(b []byte) (tag byte, hlen int, blen int64, partial, ok bool) {
	if len(b) < 2 || b[0]&0x80 == 0 {
		return 0, 0, 0, false, false
	}
	if b[0]&0x40 == 0 { // legacy format: tag in bits 5-2, length type in bits 1-0
		tag = (b[0] >> 2) & 0x0F
		switch b[0] & 3 {
		case 0:
			return tag, 2, int64(b[1]), false, true
		case 1:
			if len(b) < 3 {
				return 0, 0, 0, false, false
			}
			return tag, 3, int64(binary.BigEndian.Uint16(b[1:])), false, true
		case 2:
			if len(b) < 5 {
				return 0, 0, 0, false, false
			}
			return tag, 5, int64(binary.BigEndian.Uint32(b[1:])), false, true
		default: // indeterminate length: to the end of the file
			return tag, 1, 0, true, true
		}
	}
	tag = b[0] & 0x3F
	switch l := b[1]; {
	case l < 192:
		return tag, 2, int64(l), false, true
	case l < 224:
		if len(b) < 3 {
			return 0, 0, 0, false, false
		}
		return tag, 3, (int64(l)-192)<<8 + int64(b[2]) + 192, false, true
	case l == 255:
		if len(b) < 6 {
			return 0, 0, 0, false, false
		}
		return tag, 6, int64(binary.BigEndian.Uint32(b[2:])), false, true
	default:
		return tag, 2, 1 << (l & 0x1F), true, true
	}
}

// validESK checks the start of a session-key packet: a known version, a
// known algorithm, and a length that fits. body is at most its first 32
// bytes; blen is its full length.
func validESK(tag byte, body []byte, blen int64) bool {
	if len(body) < 2 {
		return false
	}
	if tag == tagPKESK {
		switch body[0] {
		case 3: // version, 8-byte key ID, algorithm, encrypted key
			return blen >= 12 && len(body) >= 10 && pkAlgo(body[9])
		case 6: // version, fingerprint length and fingerprint, algorithm, key
			n := int(body[1])
			return n <= 33 && blen >= int64(n)+4 && len(body) > n+2 && pkAlgo(body[n+2])
		}
		return false
	}
	switch body[0] {
	case 4: // version, cipher, S2K, optional encrypted session key
		s2k, ok := s2kLen(body[2:])
		return ok && symAlgo(body[1]) && blen >= int64(2+s2k) && blen <= 2+int64(s2k)+1+32
	case 5, 6: // version (6: a count byte), cipher, AEAD mode, S2K, IV, key
		i := 1
		if body[0] == 6 {
			i = 2
		}
		return len(body) > i+2 && symAlgo(body[i]) && body[i+1] >= 1 && body[i+1] <= 3 && blen >= int64(i+4) && blen <= 512
	}
	return false
}

// s2kLen is the length of a string-to-key specifier (RFC 9580, 3.7.1).
func s2kLen(b []byte) (int, bool) {
	if len(b) < 2 {
		return 0, false
	}
	switch b[0] {
	case 0: // simple: type, hash
		return 2, true
	case 1: // salted: type, hash, salt
		return 10, true
	case 3: // iterated and salted: type, hash, salt, count
		return 11, true
	case 4: // Argon2: type, salt, t, p, m
		return 20, true
	case 101: // GnuPG extension: "GNU" and a mode, as in --s2k-mode gnu-dummy
		return 6, len(b) >= 5 && bytes.Equal(b[2:5], []byte("GNU"))
	}
	return 0, false
}

func pkAlgo(a byte) bool {
	switch a {
	case 1, 2, 3, 16, 18, 20, 25, 26: // RSA, ElGamal, ECDH, X25519, X448
		return true
	}
	return false
}

func symAlgo(a byte) bool {
	return a >= 1 && a <= 4 || a >= 7 && a <= 13 // IDEA, 3DES, CAST5, Blowfish, AES, Twofish, Camellia
}
