/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * What an attacker inside a container would run (copied into the test containers, so static):
 * pushes TEXT into the input queue of the terminal on each of the descriptors 0, 1 and 2 with
 * TIOCSTI and prints, for each, "fdN:injected", "fdN:notty" or "fdN:<errno text>".
 * usage: pct-test-tiocsti TEXT   (a "\n" in TEXT is a line break)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char** argv) {
    const char* text = argc > 1 ? argv[1] : "";
    for (int fd = 0; fd <= 2; ++fd) {
        const char* result = "injected";
        if (!isatty(fd)) {
            result = "notty";
        } else {
            for (const char* p = text; *p != '\0'; ++p) {
                char c = *p;
                if (p[0] == '\\' && p[1] == 'n') {
                    c = '\n';
                    ++p;
                }
                if (ioctl(fd, TIOCSTI, &c) != 0) {
                    result = strerror(errno);
                    break;
                }
            }
        }
        printf("fd%d:%s\n", fd, result);
    }
    return 0;
}
