#define _GNU_SOURCE
#include <unistd.h>
#include "qdeck_fs.h"

int qdeck_syncfs(int fd) { return syncfs(fd); }
