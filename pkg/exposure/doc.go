// Package exposure tells how exposed stored data is beyond a file's mode
// bits: whether the storage under a scan root is encrypted at rest, whether
// a network share protects its traffic, which users and groups a POSIX ACL
// lets read a file, and whether a file sits in a folder anyone may write.
// It only reads (mountinfo, sysfs attributes, xattrs, lstat, one ioctl on a
// directory) and never opens the files being scanned.
//
// What each check can and cannot see:
//
//   - Mounts parses /proc/self/mountinfo and keeps the mounts a path lookup
//     reaches (a mount covered by a later one is left out). For a local
//     block device it follows /sys/dev/block/MAJ:MIN down through slaves/,
//     partitions and loop files: the data is encrypted at rest ("dm-crypt")
//     only if every path down meets a cryptsetup device (dm/uuid
//     "CRYPT-…"; dm-verity and dm-integrity devices also carry that prefix
//     and are not encryption). It cannot see self-encrypting drives (OPAL),
//     hypervisor or cloud disk encryption, or the other members of a
//     multi-device btrfs; those read as "" (none seen) or "unknown".
//     Encryption at rest protects a disk while the machine is off, not
//     files read on the running system the scan runs on.
//   - fscrypt is per directory: Mounts checks the scanned root and the
//     mount points below it on ext4, f2fs, ubifs and btrfs, and
//     DirEncrypted checks any other directory. A subdirectory may be
//     encrypted when its mount point is not.
//   - A network share's server disks are invisible from the client: a NAS
//     that encrypts its disks looks the same as one that does not, so
//     network mounts always have Encryption "unknown", never "". Transport
//     comes from the mount options the kernel shows (sec=, xprtsec=, seal),
//     which cannot show an SMB server that demands encryption per share.
//     Overlay mounts take the weakest encryption of their layers; in a
//     container the layers live in the host's namespace and read as
//     "unknown". ZFS and bcachefs native encryption is not in mountinfo.
//   - ReadACL reads the access ACL (system.posix_acl_access) only: default
//     ACLs on directories shape future files, and NFSv4 or SMB ACLs are not
//     POSIX ACLs, so a share's server-side rights are not seen.
//   - Dirs judges a directory by its own mode bits. It does not look at
//     ACL entries granting write on the directory, nor at writable
//     directories further up, through which a whole subtree can be moved
//     aside and replaced.
//
// On other systems than Linux, Mounts reports one mount with "unknown"
// encryption and transport, and ReadACL and DirEncrypted return
// errors.ErrUnsupported, so that "not examined" never reads as "not
// protected". MountsWith reads fixture trees on any system.
package exposure
