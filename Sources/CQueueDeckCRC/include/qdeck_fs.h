#ifndef QDECK_FS_H
#define QDECK_FS_H

/// syncfs(2): flushes the file system holding `fd` in one go (glibc declares it only under
/// _GNU_SOURCE, which Swift's Glibc module does not set). Returns 0, or -1 with errno set.
int qdeck_syncfs(int fd);

#endif
