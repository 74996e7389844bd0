/* /init of UMOL4's test VMs: a static program (no shell in the initramfs)
   that mounts what umol4 needs, runs each line of /vm/commands (words
   separated by blanks; '#' starts a comment line) in /b, prints every command and
   its exit status on the console, and powers the VM off.  Prefixes of a
   line: "=N" the exit status it must end with (default 0; "=0,1": either),
   "@SECONDS" its time limit (default 600), after which it is killed: the VM
   always ends.
   With /vm/argv instead (NUL-separated words: umol4 run of another CPU's
   images, cli/vm_box.cpp), it runs that one command with the console as
   its terminal, after the line "umol4-vm: start", and ends with the line
   "umol4-vm: exit N", N its exit status. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void console(void)
{
    mkdir("/dev", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    int fd = open("/dev/console", O_RDWR);
    if (fd >= 0) {
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        if (fd > 2) close(fd);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int expected(const char* list, int code)
{
    for (const char* p = list; *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : "")
        if (atoi(p) == code) return 1;
    return 0;
}

/* 0 if the command ended as the line expects. */
static int run(char* line)
{
    char* argv[64];
    int argc = 0;
    unsigned limit = 600;
    const char* want = "0";
    for (char* w = strtok(line, " \t"); w && argc < 63; w = strtok(NULL, " \t")) {
        if (argc == 0 && w[0] == '@') {
            limit = (unsigned)atoi(w + 1);
            continue;
        }
        if (argc == 0 && w[0] == '=') {
            want = w + 1;
            continue;
        }
        argv[argc++] = w;
    }
    argv[argc] = NULL;
    if (argc == 0) return 0;
    double start = now();
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        fprintf(stderr, "umol4-vm: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status = 0;
    for (;;) {
        pid_t r = waitpid(-1, &status, WNOHANG);
        if (r == pid) break;
        if (r <= 0) {
            if (now() - start > limit) {
                printf("umol4-vm: %s ran longer than %u s: killed\n", argv[0], limit);
                kill(pid, SIGKILL);
            }
            usleep(20000);
        }
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    int ok = expected(want, code);
    printf("umol4-vm: exit %d after %.1f s%s\n", code, now() - start, ok ? "" : " (FAILED: unexpected exit status)");
    return !ok;
}

/* The one command of /vm/argv: its exit status (-1: no such file). */
static int run_argv(void)
{
    static char words[65536];
    char* argv[256];
    int fd = open("/vm/argv", O_RDONLY);
    if (fd < 0) return -1;
    ssize_t n = read(fd, words, sizeof words - 1);
    close(fd);
    int argc = 0;
    for (ssize_t i = 0; i < n && argc < 255; i += (ssize_t)strlen(words + i) + 1) argv[argc++] = words + i;
    argv[argc] = NULL;
    if (argc == 0) return 127;
    /* A host terminal (/vm/tty) is raw while the box runs: this console
       line then echoes, edits lines and turns ^C into SIGINT and ^D into
       the end of input, as the host's would.  Otherwise the input is a
       file and the output goes to one: no echo, no carriage returns. */
    struct termios raw;
    if (access("/vm/tty", F_OK) != 0 && tcgetattr(0, &raw) == 0) {
        cfmakeraw(&raw);
        raw.c_lflag |= ISIG; /* ^C interrupts the box, as on the host */
        tcsetattr(0, TCSANOW, &raw);
    }
    printf("umol4-vm: start\n");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        ioctl(0, TIOCSCTTY, 1); /* the console's signals go to the box */
        /* Colours only on a terminal. */
        setenv("TERM", access("/vm/tty", F_OK) == 0 ? "linux" : "dumb", 1);
        execv(argv[0], argv);
        fprintf(stderr, "umol4-vm: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
    console();
    mkdir("/proc", 0555);
    mount("proc", "/proc", "proc", 0, NULL);
    mkdir("/tmp", 01777);
    mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
    int code = run_argv();
    if (code >= 0) {
        /* The last line as written: a terminal's line discipline would
           put a carriage return of its own before it. */
        struct termios t;
        if (tcgetattr(1, &t) == 0) {
            t.c_oflag &= ~OPOST;
            tcsetattr(1, TCSADRAIN, &t);
        }
        printf("\numol4-vm: exit %d\n", code);
        sync();
        reboot(RB_POWER_OFF);
    }
    FILE* f = fopen("/vm/commands", "r");
    if (chdir("/b") != 0) printf("umol4-vm: no /b\n");
    if (!f) {
        printf("umol4-vm: no /vm/commands\n");
    } else {
        char line[4096];
        int failed = 0;
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = 0;
            if (line[0] == 0 || line[0] == '#') continue;
            printf("umol4-vm$ %s\n", line);
            if (run(line) != 0) ++failed;
        }
        fclose(f);
        printf("umol4-vm: done, %d command(s) failed\n", failed);
    }
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
