/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What an attacker inside a container would run (copied into the test containers, so static):
 * pushes TEXT into the input queue of the terminal on each of the descriptors 0, 1 and 2 with
 * TIOCSTI and prints, for each, "fdN:injected", "fdN:notty" or "fdN:<errno text>".
 * With --tty, it does so on its controlling terminal instead, opened as /dev/tty, and prints
 * "devtty:injected" or "devtty:<errno text>" (ENXIO's when it has no controlling terminal).
 * usage: pct-test-tiocsti [--tty] TEXT   (a "\n" in TEXT is a line break)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* "injected" or the reason TEXT could not be pushed into the terminal `fd`. */
static const char* push(int fd, const char* text) {
    for (const char* p = text; *p != '\0'; ++p) {
        char c = *p;
        if (p[0] == '\\' && p[1] == 'n') {
            c = '\n';
            ++p;
        }
        if (ioctl(fd, TIOCSTI, &c) != 0)
            return strerror(errno);
    }
    return "injected";
}

int main(int argc, char** argv) {
    if (argc > 2 && strcmp(argv[1], "--tty") == 0) {
        int fd = open("/dev/tty", O_RDWR);
        printf("devtty:%s\n", fd < 0 ? strerror(errno) : push(fd, argv[2]));
        return 0;
    }
    const char* text = argc > 1 ? argv[1] : "";
    for (int fd = 0; fd <= 2; ++fd)
        printf("fd%d:%s\n", fd, isatty(fd) ? push(fd, text) : "notty");
    return 0;
}
