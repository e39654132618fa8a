//go:build linux

package exposure

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// DirEncrypted reports whether directory path has an fscrypt policy, so
// that the files below it are stored encrypted (ext4, f2fs, ubifs). It
// opens the directory without following a symlink and without reading
// it, and asks the filesystem with FS_IOC_GET_ENCRYPTION_POLICY_EX.
// Filesystems without fscrypt answer "no policy", not an error.
func DirEncrypted(path string) (bool, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return false, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	var arg unix.FscryptGetPolicyExArg
	arg.Size = uint64(len(arg.Policy))
	err = ioctlPtr(fd, unix.FS_IOC_GET_ENCRYPTION_POLICY_EX, unsafe.Pointer(&arg))
	if err == unix.ENOTTY {
		// Kernels before 5.4 know only the v1 request.
		var p unix.FscryptPolicy
		err = ioctlPtr(fd, unix.FS_IOC_GET_ENCRYPTION_POLICY, unsafe.Pointer(&p))
	}
	switch err {
	case nil, unix.EOVERFLOW: // EOVERFLOW: a policy larger than we asked for
		return true, nil
	case unix.ENODATA, unix.ENOTTY, unix.EOPNOTSUPP:
		// No policy; the filesystem has no fscrypt; fscrypt is not
		// enabled on it.
		return false, nil
	}
	// EINVAL means a policy version we do not know, or a filesystem that
	// misreads the request: unknown rather than a guess.
	return false, &os.PathError{Op: "reading fscrypt policy", Path: path, Err: err}
}

func ioctlPtr(fd int, req uint, arg unsafe.Pointer) error {
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(arg))
	if e != 0 {
		return e
	}
	return nil
}
