/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — the TCP token (see token.h). */
#include "token.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

static int create_token(const char *path, char out[SILKD_TOKEN_LEN + 1])
{
    unsigned char raw[SILKD_TOKEN_LEN / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            silkd_log(SILKD_LOG_ERROR, "token %s: getrandom: %s", path, strerror(errno));
            return -1;
        }
        got += (size_t)n;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof raw; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[SILKD_TOKEN_LEN] = '\0';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == EEXIST ? 1 : -1;
    char line[SILKD_TOKEN_LEN + 1];
    memcpy(line, out, SILKD_TOKEN_LEN);
    line[SILKD_TOKEN_LEN] = '\n';
    int ok = write(fd, line, sizeof line) == (ssize_t)sizeof line && fsync(fd) == 0;
    int saved = errno;
    close(fd);
    if (!ok) {
        unlink(path);
        errno = saved;
        return -1;
    }
    silkd_log(SILKD_LOG_INFO, "created the TCP token %s (mode 0600)", path);
    return 0;
}

static int read_token(const char *path, char out[SILKD_TOKEN_LEN + 1])
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        silkd_log(SILKD_LOG_ERROR, "cannot read the TCP token %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    const char *why = NULL;
    char buf[SILKD_TOKEN_LEN + 2];
    ssize_t n = 0;
    if (fstat(fd, &st) != 0)
        why = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (st.st_uid != geteuid())
        why = "it does not belong to the daemon's user";
    else if (st.st_mode & 077)
        why = "others can read or write it (it must be mode 0600)";
    else if ((n = read(fd, buf, sizeof buf)) < SILKD_TOKEN_LEN ||
             (n > SILKD_TOKEN_LEN && buf[SILKD_TOKEN_LEN] != '\n'))
        why = "not a token (64 hex digits and a newline)";
    close(fd);
    for (int i = 0; !why && i < SILKD_TOKEN_LEN; i++)
        if (!strchr("0123456789abcdefABCDEF", buf[i]) || !buf[i])
            why = "not a token (64 hex digits and a newline)";
    if (why) {
        silkd_log(SILKD_LOG_ERROR, "refusing the TCP token %s: %s", path, why);
        return -1;
    }
    memcpy(out, buf, SILKD_TOKEN_LEN);
    out[SILKD_TOKEN_LEN] = '\0';
    return 0;
}

int silkd_token_load(const char *path, char out[SILKD_TOKEN_LEN + 1])
{
    int rc = create_token(path, out);
    if (rc == 0)
        return 0;
    if (rc < 0) {
        silkd_log(SILKD_LOG_ERROR, "cannot create the TCP token %s: %s", path, strerror(errno));
        return -1;
    }
    return read_token(path, out);
}

bool silkd_token_equal(const char *token, const char *given, size_t len)
{
    unsigned char diff = len != SILKD_TOKEN_LEN;
    for (size_t i = 0; i < SILKD_TOKEN_LEN; i++)
        diff |= (unsigned char)token[i] ^ (unsigned char)(i < len ? given[i] : 0);
    return diff == 0;
}
