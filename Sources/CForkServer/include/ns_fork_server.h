#ifndef NS_FORK_SERVER_H
#define NS_FORK_SERVER_H

#include <sys/types.h>

/* A fork server for task tries: a copy of the binary, started once, that has done its dynamic loading and relocation
   and forks a fresh child for every try it is sent. Each child is a new process of its own (new pid, its own process
   group, its own log as stdout and stderr) that continues into the program's normal start as if it had been executed
   with the try's `tasks run` arguments.

   The server is entered from a constructor, before `main` and before any thread exists, when the environment holds
   NS_FORK_SERVER_FDS ("R,W": the file descriptors of the request and report pipes). Nothing happens otherwise.

   Requests (scheduler to server) are a 4-byte little-endian length, then NUL-terminated strings: the request id, the
   log path, the argument count, the arguments (argv[0] first), the count of extra environment entries, the entries
   ("KEY=VALUE").
   Reports (server to scheduler), one line each:
     "R <pid>"            the server is ready;
     "S <id> <pid>"       request <id> runs as process <pid>;
     "E <id> <message>"   request <id> could not be started (its log could not be opened, fork failed);
     "X <pid> <status>"   process <pid> ended with the raw wait status <status>.
   The server stops accepting when the request pipe closes and exits once its last child is reaped. */

#define NS_FORK_SERVER_ENV "NS_FORK_SERVER_FDS"
/* "warm": the constructor only takes note; the program warms itself up (builds and validates its DAGs, touches the
   code every try runs) on its main thread and then calls ns_fork_server_serve(), so that every child inherits that
   work. Otherwise ("cold") the constructor serves at once. */
#define NS_FORK_SERVER_MODE_ENV "NS_FORK_SERVER_MODE"
/* "1" in a warm server: spawn-ahead. The server keeps one standby child forked ahead of the next request; it returns
   from ns_fork_server_serve() with ns_fork_server_is_standby() set, warms up what only a child may (its store
   connection, which starts threads), and calls ns_fork_server_await_assignment(), which returns once the server has
   handed it a request (the log's descriptor comes over a socket pair): from then on it is that try's process, exactly
   as if it had been forked for it, and the server forks the next standby. A standby exits when its server goes away before it is
   assigned; one that dies waiting is replaced at the next request (after three in a row the server stops). */
#define NS_FORK_SERVER_STANDBY_ENV "NS_FORK_SERVER_STANDBY"

/* Starts a fork server: `executable` with `argv` and `envp` (NS_FORK_SERVER_FDS is added), in a process group of its
   own, stdin on /dev/null. On success returns 0 and sets the server's pid, the write end of its request pipe and the
   read end of its report pipe (both close-on-exec in this process); otherwise returns an errno value. */
int ns_fork_server_spawn(const char *executable, char *const argv[], char *const envp[], pid_t *pid, int *request_fd,
                         int *report_fd);

/* 1 in a process the fork server forked for a try, 0 otherwise. */
int ns_fork_server_is_child(void);

/* 1 in a standby that has not been assigned a try yet (see NS_FORK_SERVER_STANDBY_ENV). */
int ns_fork_server_is_standby(void);
/* In a standby: waits for the server to assign it a try and returns 1 as that try's process (arguments, environment,
   log); exits when the server goes away first. Returns 0 at once in any other process. */
int ns_fork_server_await_assignment(void);
/* 1 in a warm server that has not started serving yet. */
int ns_fork_server_pending(void);

/* In a warm server: serves requests (the server process never returns) and returns 1 in each child forked for a
   try. Must be called while the process has exactly one thread (otherwise the server refuses and exits).
   Returns 0 at once when this process is not a pending warm server. */
int ns_fork_server_serve(void);

/* In a pending warm server that cannot serve (its program is already multithreaded): reports why and exits. */
void ns_fork_server_refuse(const char *reason);

/* A forked child's argument vector (argv[0] first) and its count; NULL outside a forked child. */
char **ns_fork_server_child_arguments(int *count);

#endif
