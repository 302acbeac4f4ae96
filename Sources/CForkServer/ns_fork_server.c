#define _GNU_SOURCE
#include "ns_fork_server.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Set by the server when it added LD_BIND_NOW itself (so that everything is bound once, before the first fork): its
   children remove it again, so the commands a try runs start as they would have without the server. */
#define NS_FORK_SERVER_BIND_NOW_ENV "NS_FORK_SERVER_BIND_NOW"

/* The Swift runtime's hook for CommandLine.arguments; weak so that the object links into any program. */
extern void _swift_stdlib_overrideUnsafeArgvArgc(char **argv, int argc) __attribute__((weak));

static int forked_for_try = 0;
/* Spawn-ahead (NS_FORK_SERVER_STANDBY=1 in a warm server): the server keeps one child forked ahead of the next request,
   which warms itself up (its store connection) and waits on its end of a socket pair for a try; the server hands it
   the next request with the log's descriptor and forks the next standby while the try runs. */
static int standby_enabled = 0;
/* In the server: the standby waiting for a request (0: none), the server's end of its socket pair, and standbys that
   died before they were used, in a row (three in a row turn spawn-ahead off). */
static pid_t standby_pid = 0;
static int standby_fd = -1;
static int standby_failures = 0;
/* In a standby: its end of the socket pair, until it is assigned a try. */
static int is_standby = 0;
static int assignment_fd = -1;
/* A warm server's file descriptors, parsed by the constructor, until the program calls ns_fork_server_serve(). */
static int pending_request_fd = -1;
/* A forked child's arguments (argv[0] first). */
static char **child_argv = NULL;
static int child_argc = 0;

int ns_fork_server_is_child(void) { return forked_for_try; }

int ns_fork_server_pending(void) { return pending_request_fd >= 0; }

int ns_fork_server_is_standby(void) { return is_standby; }

char **ns_fork_server_child_arguments(int *count) {
    *count = child_argc;
    return child_argv;
}

int ns_fork_server_spawn(const char *executable, char *const argv[], char *const envp[], pid_t *pid, int *request_fd,
                         int *report_fd) {
    int request[2], report[2];
    if (pipe2(request, O_CLOEXEC) != 0) return errno;
    if (pipe2(report, O_CLOEXEC) != 0) {
        int error = errno;
        close(request[0]);
        close(request[1]);
        return error;
    }
    size_t count = 0;
    while (envp[count] != NULL) count++;
    char **environment = calloc(count + 2, sizeof(char *));
    char fds[64];
    int result = ENOMEM;
    if (environment == NULL) goto fail;
    /* The server sees its pipes as fds 3 and 4. */
    snprintf(fds, sizeof fds, "%s=3,4", NS_FORK_SERVER_ENV);
    size_t used = 0;
    for (size_t index = 0; index < count; index++) {
        if (strncmp(envp[index], NS_FORK_SERVER_ENV "=", strlen(NS_FORK_SERVER_ENV) + 1) != 0) environment[used++] = envp[index];
    }
    environment[used++] = fds;
    environment[used] = NULL;

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    if ((result = posix_spawn_file_actions_init(&actions)) != 0) goto fail;
    if ((result = posix_spawnattr_init(&attributes)) != 0) {
        posix_spawn_file_actions_destroy(&actions);
        goto fail;
    }
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    /* The server writes nothing but reports; its output must not hold the scheduler's stdout or stderr open (a pipe
       to a supervisor or a test) while it waits for its last children after the scheduler has gone. */
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, request[0], 3);
    posix_spawn_file_actions_adddup2(&actions, report[1], 4);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    posix_spawn_file_actions_addclosefrom_np(&actions, 5); /* nothing else of the scheduler's (pipes to its supervisor) */
#endif
    result = posix_spawn(pid, executable, &actions, &attributes, argv, environment);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (result != 0) goto fail;
    free(environment);
    close(request[0]);
    close(report[1]);
    *request_fd = request[1];
    *report_fd = report[0];
    return 0;
fail:
    free(environment);
    close(request[0]);
    close(request[1]);
    close(report[0]);
    close(report[1]);
    return result;
}

/* ---- The server ---------------------------------------------------------------------------------------------- */

static int report_fd = -1;
static int scheduler_gone = 0;

static void report_line(const char *line) {
    if (scheduler_gone) return;
    size_t length = strlen(line), written = 0;
    while (written < length) {
        ssize_t n = write(report_fd, line + written, length - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            scheduler_gone = 1; /* EPIPE: nobody listens any more; keep reaping quietly */
            return;
        }
        written += (size_t)n;
    }
}

/* Reads exactly `length` bytes; 0 on success, -1 on end of file or error. */
static int read_exactly(int fd, void *buffer, size_t length) {
    size_t done = 0;
    while (done < length) {
        ssize_t n = read(fd, (char *)buffer + done, length - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        done += (size_t)n;
    }
    return 0;
}

static int make_parent_directories(const char *path) {
    char *copy = strdup(path);
    if (copy == NULL) return ENOMEM;
    for (char *slash = strchr(copy + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
            int error = errno;
            free(copy);
            return error;
        }
        *slash = '/';
    }
    free(copy);
    return 0;
}

static int thread_count(void) {
    DIR *tasks = opendir("/proc/self/task");
    if (tasks == NULL) return -1;
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(tasks)) != NULL) {
        if (entry->d_name[0] != '.') count++;
    }
    closedir(tasks);
    return count;
}

/* One request, parsed in place: pointers into `payload`. */
struct request {
    const char *id;
    const char *log_path;
    int argc;
    char **argv;
    int envc;
    char **env;
};

static const char *next_string(char **cursor, const char *end) {
    char *start = *cursor;
    char *nul = memchr(start, '\0', (size_t)(end - start));
    if (nul == NULL) return NULL;
    *cursor = nul + 1;
    return start;
}

static int parse_count(const char *text) {
    if (text == NULL || *text == '\0') return -1;
    char *end;
    long value = strtol(text, &end, 10);
    return (*end != '\0' || value < 0 || value > 100000) ? -1 : (int)value;
}

static int parse_request(char *payload, size_t length, struct request *request) {
    char *cursor = payload;
    const char *end = payload + length;
    request->id = next_string(&cursor, end);
    request->log_path = next_string(&cursor, end);
    request->argc = parse_count(next_string(&cursor, end));
    if (request->id == NULL || request->log_path == NULL || request->argc < 1) return -1;
    request->argv = calloc((size_t)request->argc + 1, sizeof(char *));
    if (request->argv == NULL) return -1;
    for (int index = 0; index < request->argc; index++) {
        if ((request->argv[index] = (char *)next_string(&cursor, end)) == NULL) return -1;
    }
    request->envc = parse_count(next_string(&cursor, end));
    if (request->envc < 0) return -1;
    request->env = calloc((size_t)request->envc + 1, sizeof(char *));
    if (request->env == NULL) return -1;
    for (int index = 0; index < request->envc; index++) {
        if ((request->env[index] = (char *)next_string(&cursor, end)) == NULL) return -1;
    }
    return 0;
}

/* In the forked child: becomes the try's process and returns into the program's normal start. */
static void become_try(struct request *request, int log_fd, int request_fd, int signal_fd, const sigset_t *mask) {
    forked_for_try = 1;
    if (request_fd >= 0) close(request_fd);
    if (report_fd >= 0) close(report_fd);
    if (signal_fd >= 0) close(signal_fd);
    signal(SIGPIPE, SIG_DFL);
    sigprocmask(SIG_SETMASK, mask, NULL);
    setpgid(0, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    if (log_fd > 2) close(log_fd);
    const char *bind_now = getenv(NS_FORK_SERVER_BIND_NOW_ENV);
    if (bind_now != NULL && strcmp(bind_now, "added") == 0) unsetenv("LD_BIND_NOW");
    unsetenv(NS_FORK_SERVER_BIND_NOW_ENV);
    unsetenv(NS_FORK_SERVER_ENV);
    unsetenv(NS_FORK_SERVER_MODE_ENV);
    unsetenv(NS_FORK_SERVER_STANDBY_ENV);
    for (int index = 0; index < request->envc; index++) {
        char *entry = request->env[index];
        char *equals = strchr(entry, '=');
        if (equals == NULL || equals == entry) continue;
        *equals = '\0';
        setenv(entry, equals + 1, 1);
        *equals = '=';
    }
    child_argv = request->argv;
    child_argc = request->argc;
    if (_swift_stdlib_overrideUnsafeArgvArgc != NULL) _swift_stdlib_overrideUnsafeArgvArgc(request->argv, request->argc);
    /* request->argv and its strings stay allocated for the life of the process. */
}

/* In the server: forks a standby unless one is waiting. Returns 1 in the standby (which goes back into the program),
   0 in the server. */
static int start_standby(int request_fd, int signal_fd, const sigset_t *mask) {
    if (!standby_enabled || standby_pid > 0) return 0;
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return 0;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* Until it is assigned a try, a standby is the server's: when the server goes (or closes its end), the
           standby's wait ends with end of file and it exits. (Not PR_SET_PDEATHSIG: that belongs to the thread that
           set it, and a standby waits on another thread than its main one, so it could not be taken back.) */
        is_standby = 1;
        close(pair[0]);
        close(request_fd);
        close(report_fd);
        report_fd = -1;
        close(signal_fd);
        assignment_fd = pair[1];
        signal(SIGPIPE, SIG_DFL);
        sigprocmask(SIG_SETMASK, mask, NULL);
        setpgid(0, 0);
        return 1;
    }
    close(pair[1]);
    if (pid < 0) {
        close(pair[0]);
        return 0;
    }
    setpgid(pid, pid);
    standby_pid = pid;
    standby_fd = pair[0];
    return 0;
}

/* In the server: the standby is no longer wanted (or is broken): it is killed and reaped here (a SIGKILLed process
   ends at once), so the reaping loop never mistakes it for a try. */
static void retire_standby(void) {
    if (standby_pid <= 0) return;
    kill(standby_pid, SIGKILL);
    close(standby_fd);
    while (waitpid(standby_pid, NULL, 0) < 0 && errno == EINTR) {
    }
    standby_pid = 0;
    standby_fd = -1;
}

static int send_all(int fd, const void *bytes, size_t length) {
    size_t done = 0;
    while (done < length) {
        ssize_t n = send(fd, (const char *)bytes + done, length - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        done += (size_t)n;
    }
    return 0;
}

/* In the server: hands a request (its length header and payload as received) and the try's log descriptor to the
   standby. 0 when the standby has it; -1 when it could not take it (it died), and it is retired. */
static int assign_standby(const uint8_t header[4], const char *payload, uint32_t length, int log_fd) {
    char control[CMSG_SPACE(sizeof(int))];
    memset(control, 0, sizeof control);
    struct iovec part = {.iov_base = (void *)header, .iov_len = 4};
    struct msghdr message = {.msg_iov = &part, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    struct cmsghdr *rights = CMSG_FIRSTHDR(&message);
    rights->cmsg_level = SOL_SOCKET;
    rights->cmsg_type = SCM_RIGHTS;
    rights->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(rights), &log_fd, sizeof(int));
    ssize_t sent;
    do {
        sent = sendmsg(standby_fd, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent != 4 || send_all(standby_fd, payload, length) != 0) {
        retire_standby();
        return -1;
    }
    return 0;
}

int ns_fork_server_await_assignment(void) {
    if (!is_standby) return 0;
    uint8_t header[4];
    int log_fd = -1;
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec part = {.iov_base = header, .iov_len = sizeof header};
    struct msghdr message = {.msg_iov = &part, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    ssize_t received;
    do {
        received = recvmsg(assignment_fd, &message, MSG_CMSG_CLOEXEC);
    } while (received < 0 && errno == EINTR);
    if (received <= 0) _exit(0); /* the server closed its end: it stopped or replaced this standby */
    for (struct cmsghdr *item = CMSG_FIRSTHDR(&message); item != NULL; item = CMSG_NXTHDR(&message, item)) {
        if (item->cmsg_level == SOL_SOCKET && item->cmsg_type == SCM_RIGHTS) memcpy(&log_fd, CMSG_DATA(item), sizeof(int));
    }
    if (log_fd < 0 || (received < 4 && read_exactly(assignment_fd, header + received, 4 - (size_t)received) != 0)) _exit(72);
    uint32_t length = (uint32_t)header[0] | (uint32_t)header[1] << 8 | (uint32_t)header[2] << 16 | (uint32_t)header[3] << 24;
    char *payload = length <= (1u << 20) ? malloc(length) : NULL;
    struct request request = {0};
    if (payload == NULL || read_exactly(assignment_fd, payload, length) != 0 || parse_request(payload, length, &request) != 0) _exit(72);
    close(assignment_fd);
    assignment_fd = -1;
    is_standby = 0;
    sigset_t mask;
    sigprocmask(SIG_SETMASK, NULL, &mask);
    become_try(&request, log_fd, -1, -1, &mask);
    return 1;
}

/* Serves requests until the request pipe closes and the last child is reaped (then exits), or returns in a child. */
static void serve(int request_fd) {
    sigset_t chld, previous;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &previous);
    signal(SIGPIPE, SIG_IGN);
    int signal_fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    char line[4200];
    if (signal_fd < 0) {
        snprintf(line, sizeof line, "N signalfd: %s\n", strerror(errno));
        report_line(line);
        _exit(70);
    }
    int threads = thread_count();
    if (threads != 1) {
        /* fork() is only safe here while this process has one thread. */
        snprintf(line, sizeof line, "N the fork server has %d threads before main; it needs exactly one\n", threads);
        report_line(line);
        _exit(70);
    }
    snprintf(line, sizeof line, "R %d\n", (int)getpid());
    report_line(line);
    if (start_standby(request_fd, signal_fd, &previous)) return;

    int accepting = 1;
    long children = 0;
    while (accepting || children > 0) {
        struct pollfd fds[2] = {{.fd = signal_fd, .events = POLLIN}, {.fd = accepting ? request_fd : -1, .events = POLLIN}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            _exit(71);
        }
        if (fds[0].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(signal_fd, &info, sizeof info) > 0) {
            }
            int status;
            pid_t pid;
            while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
                if (pid == standby_pid) { /* died waiting: nobody's try; the next request forks, then a new standby */
                    close(standby_fd);
                    standby_pid = 0;
                    standby_fd = -1;
                    if (++standby_failures >= 3) standby_enabled = 0;
                    continue;
                }
                children--;
                snprintf(line, sizeof line, "X %d %d\n", (int)pid, status);
                report_line(line);
            }
        }
        if (!(fds[1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        uint8_t header[4];
        if (read_exactly(request_fd, header, sizeof header) != 0) {
            accepting = 0; /* the scheduler closed its end (it stopped, restarted, or replaced this server) */
            close(request_fd);
            retire_standby();
            continue;
        }
        uint32_t length = (uint32_t)header[0] | (uint32_t)header[1] << 8 | (uint32_t)header[2] << 16 | (uint32_t)header[3] << 24;
        char *payload = length <= (1u << 20) ? malloc(length) : NULL;
        if (payload == NULL || read_exactly(request_fd, payload, length) != 0) {
            snprintf(line, sizeof line, "N request of %u bytes unreadable\n", length);
            report_line(line);
            _exit(72);
        }
        struct request request = {0};
        if (parse_request(payload, length, &request) != 0) {
            snprintf(line, sizeof line, "N malformed request of %u bytes\n", length);
            report_line(line);
            _exit(72);
        }
        int error = make_parent_directories(request.log_path);
        int log_fd = error == 0 ? open(request.log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
        if (log_fd < 0) {
            if (error == 0) error = errno;
            snprintf(line, sizeof line, "E %s cannot open the log file %.3000s: %s\n", request.id, request.log_path, strerror(error));
            report_line(line);
            free(request.argv);
            free(request.env);
            free(payload);
            continue;
        }
        if (standby_pid > 0) {
            pid_t standby = standby_pid;
            if (assign_standby(header, payload, length, log_fd) == 0) {
                close(log_fd);
                close(standby_fd);
                standby_pid = 0;
                standby_fd = -1;
                standby_failures = 0;
                children++;
                snprintf(line, sizeof line, "S %s %d\n", request.id, (int)standby);
                report_line(line);
                free(request.argv);
                free(request.env);
                free(payload);
                if (start_standby(request_fd, signal_fd, &previous)) return;
                continue;
            }
        }
        fflush(NULL); /* nothing buffered in this process may be written again by a child */
        pid_t pid = fork();
        if (pid == 0) {
            if (standby_fd >= 0) close(standby_fd); /* the standby must see its server's end close with the server */
            become_try(&request, log_fd, request_fd, signal_fd, &previous);
            return;
        }
        close(log_fd);
        if (pid < 0) {
            snprintf(line, sizeof line, "E %s fork: %s\n", request.id, strerror(errno));
        } else {
            children++;
            setpgid(pid, pid); /* as the child does: whichever runs first, the group exists before anyone signals it */
            snprintf(line, sizeof line, "S %s %d\n", request.id, (int)pid);
        }
        report_line(line);
        free(request.argv);
        free(request.env);
        free(payload);
        if (accepting && start_standby(request_fd, signal_fd, &previous)) return;
    }
    _exit(0);
}

__attribute__((constructor)) static void ns_fork_server_enter(void) {
    const char *fds = getenv(NS_FORK_SERVER_ENV);
    if (fds == NULL) return;
    int request_fd = -1;
    if (sscanf(fds, "%d,%d", &request_fd, &report_fd) != 2 || fcntl(request_fd, F_GETFD) < 0 || fcntl(report_fd, F_GETFD) < 0) {
        fprintf(stderr, "error: %s=%s does not name two open file descriptors\n", NS_FORK_SERVER_ENV, fds);
        _exit(2);
    }
    fcntl(request_fd, F_SETFD, FD_CLOEXEC);
    fcntl(report_fd, F_SETFD, FD_CLOEXEC);
    const char *mode = getenv(NS_FORK_SERVER_MODE_ENV);
    if (mode != NULL && strcmp(mode, "warm") == 0) {
        const char *standby = getenv(NS_FORK_SERVER_STANDBY_ENV);
        standby_enabled = standby != NULL && strcmp(standby, "1") == 0;
        pending_request_fd = request_fd; /* the program warms up, then calls ns_fork_server_serve() */
        return;
    }
    serve(request_fd);
}

int ns_fork_server_serve(void) {
    if (pending_request_fd < 0) return 0;
    int request_fd = pending_request_fd;
    pending_request_fd = -1;
    serve(request_fd);
    return 1;
}

void ns_fork_server_refuse(const char *reason) {
    if (pending_request_fd < 0) return;
    char line[1100];
    snprintf(line, sizeof line, "N %.1000s\n", reason);
    report_line(line);
    _exit(70);
}
