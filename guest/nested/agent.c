/*
 * The nested guest's (L2's) whole part of NestedGuestsIT: a static program, so that L2 needs no
 * root file system, no Python and no JVM (it runs on a CPU emulated inside an emulated CPU).
 *
 *   agent SERVER_PORT [relay=LISTEN_PORT:L1_PORT] [NAME=PORT ...]
 *
 * 1. Listens on vsock port SERVER_PORT (any CID); with relay=, also on LISTEN_PORT, where a child
 *    process relays each connection, byte for byte, to L1_PORT at CID 2: a stream that enters L2
 *    over H2G and leaves it over G2H, for protocols the agent does not speak (gRPC).
 * 2. Calls GET /peer on each L1 target NAME=PORT at CID 2 (G2H) and prints
 *    "L2 GET <name> -> <status line> | <body>".
 * 3. Prints what the project's transport detection reads ("L2 fact ..." lines: the /sys/module
 *    entries, the bound virtio-vsock devices, /dev nodes, the kernel release) and the local CID
 *    from IOCTL_VM_SOCKETS_GET_LOCAL_CID, for L1 to run the detection on.
 * 4. Serves every request with the peer it saw ("cid=<cid> port=<port>") and prints
 *    "L2 served '<request line>' to cid=<cid>", until a request for /done (H2G).
 * Every line meant for the test starts with "L2 ". Exits 0 when /done was served.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

#define CID_HOST 2
#define PATIENCE_SECONDS 2400 /* within NestedGuestsIT's patience for L2 */

static void say(const char *format, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	fputs("L2 ", stdout);
	vfprintf(stdout, format, args);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(args);
}

static int connect_to_l1(unsigned int port)
{
	/* Retries for a minute while nothing listens there yet. */
	time_t give_up = time(NULL) + 60;
	for (;;) {
		int fd = socket(AF_VSOCK, SOCK_STREAM, 0);
		if (fd < 0)
			return -1;
		struct timeval timeout = { .tv_sec = 300 };
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
		struct sockaddr_vm address = { .svm_family = AF_VSOCK, .svm_cid = CID_HOST, .svm_port = port };
		if (connect(fd, (struct sockaddr *)&address, sizeof(address)) == 0)
			return fd;
		int failure = errno;
		close(fd);
		if ((failure != ECONNRESET && failure != ECONNREFUSED) || time(NULL) > give_up) {
			errno = failure;
			return -1;
		}
		sleep(1);
	}
}

static int listen_on(unsigned int port)
{
	int listener = socket(AF_VSOCK, SOCK_STREAM, 0);
	struct sockaddr_vm address = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY, .svm_port = port };
	if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof(address)) != 0
			|| listen(listener, 16) != 0) {
		say("cannot listen on vsock port %u: %s", port, strerror(errno));
		return -1;
	}
	say("listening on vsock port %u", port);
	return listener;
}

/* Copies bytes both ways until both sides have finished, passing each half-close on. */
static void pump(int a, int b)
{
	struct pollfd fds[2] = { { .fd = a, .events = POLLIN }, { .fd = b, .events = POLLIN } };
	char buffer[65536];
	int open_sides = 2;
	while (open_sides > 0 && poll(fds, 2, -1) > 0) {
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			int to = (i == 0) ? b : a;
			ssize_t n = recv(fds[i].fd, buffer, sizeof(buffer), 0);
			if (n <= 0) {
				shutdown(to, SHUT_WR);
				fds[i].fd = -1;
				open_sides--;
				continue;
			}
			for (ssize_t sent = 0; sent < n;) {
				ssize_t m = send(to, buffer + sent, (size_t)(n - sent), MSG_NOSIGNAL);
				if (m <= 0)
					return;
				sent += m;
			}
		}
	}
}

static int connect_to_l1(unsigned int port);

/* In a child process: relays every connection to LISTEN_PORT to L1_PORT at CID 2. */
static int start_relay(const char *spec)
{
	unsigned int listen_port, l1_port;
	if (sscanf(spec, "%u:%u", &listen_port, &l1_port) != 2) {
		say("relay '%s' is not LISTEN_PORT:L1_PORT", spec);
		return -1;
	}
	int listener = listen_on(listen_port);
	if (listener < 0)
		return -1;
	signal(SIGCHLD, SIG_IGN);
	if (fork() != 0) {
		close(listener);
		return 0;
	}
	for (;;) {
		int in = accept(listener, NULL, NULL);
		if (in < 0)
			_exit(1);
		if (fork() == 0) {
			int out = connect_to_l1(l1_port);
			if (out >= 0) {
				say("relaying a connection on port %u to CID 2 port %u", listen_port, l1_port);
				pump(in, out);
			}
			_exit(0);
		}
		close(in);
	}
}

static void get_peer(const char *name, unsigned int port)
{
	int fd = connect_to_l1(port);
	if (fd < 0) {
		say("GET %s -> (no connection: %s) | ", name, strerror(errno));
		return;
	}
	static const char request[] = "GET /peer HTTP/1.1\r\nHost: l1\r\nConnection: close\r\n\r\n";
	char answer[8192];
	size_t length = 0;
	if (send(fd, request, sizeof(request) - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof(request) - 1)) {
		say("GET %s -> (failed: %s) | ", name, strerror(errno));
		close(fd);
		return;
	}
	for (;;) {
		ssize_t n = recv(fd, answer + length, sizeof(answer) - 1 - length, 0);
		if (n <= 0)
			break; /* the end of the answer, or a reset: what arrived is judged below */
		length += (size_t)n;
		if (length == sizeof(answer) - 1)
			break;
	}
	close(fd);
	answer[length] = '\0';
	char *body = strstr(answer, "\r\n\r\n");
	if (length == 0 || body == NULL) {
		say("GET %s -> (closed, no response) | ", name);
		return;
	}
	*body = '\0';
	body += 4;
	char *end_of_status = strstr(answer, "\r\n");
	if (end_of_status != NULL)
		*end_of_status = '\0';
	say("GET %s -> %s | %s", name, answer, body);
}

static void fact_if_exists(const char *path)
{
	struct stat status;
	if (stat(path, &status) == 0)
		say("fact path %s", path + 1); /* relative to / */
}

static void print_facts(void)
{
	static const char *const modules[] = { "vsock", "vsock_loopback", "vmw_vsock_virtio_transport",
		"vhost_vsock", "hv_sock", "vmw_vsock_vmci_transport" };
	char path[256];
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		snprintf(path, sizeof(path), "/sys/module/%s", modules[i]);
		fact_if_exists(path);
	}
	fact_if_exists("/dev/vsock");
	fact_if_exists("/dev/vhost-vsock");
	fact_if_exists("/dev/vmci");
	const char *driver = "/sys/bus/virtio/drivers/vmw_vsock_virtio_transport";
	DIR *devices = opendir(driver);
	if (devices != NULL) {
		struct dirent *entry;
		while ((entry = readdir(devices)) != NULL) {
			if (strncmp(entry->d_name, "virtio", 6) == 0)
				say("fact path %s/%s", driver + 1, entry->d_name);
		}
		closedir(devices);
	}
	FILE *release = fopen("/proc/sys/kernel/osrelease", "r");
	if (release != NULL) {
		char text[128] = "";
		if (fgets(text, sizeof(text), release) != NULL) {
			text[strcspn(text, "\n")] = '\0';
			say("fact osrelease %s", text);
		}
		fclose(release);
	}
	int vsock = open("/dev/vsock", O_RDONLY);
	unsigned int cid = 0;
	if (vsock >= 0 && ioctl(vsock, IOCTL_VM_SOCKETS_GET_LOCAL_CID, &cid) == 0)
		say("fact local-cid %u", cid);
	else
		say("fact local-cid unknown (%s)", strerror(errno));
	if (vsock >= 0)
		close(vsock);
}

/* Reads up to the end of the request head; returns the request line, or NULL if the peer left. */
static char *read_request_line(int fd, char *buffer, size_t size)
{
	size_t length = 0;
	while (length < size - 1) {
		ssize_t n = recv(fd, buffer + length, size - 1 - length, 0);
		if (n <= 0)
			return NULL;
		length += (size_t)n;
		buffer[length] = '\0';
		if (strstr(buffer, "\r\n\r\n") != NULL) {
			buffer[strcspn(buffer, "\r\n")] = '\0';
			return buffer;
		}
	}
	return NULL;
}

static int serve_until_done(int listener)
{
	for (;;) {
		struct sockaddr_vm peer;
		socklen_t peer_length = sizeof(peer);
		int fd = accept(listener, (struct sockaddr *)&peer, &peer_length);
		if (fd < 0) {
			say("accept failed: %s", strerror(errno));
			return 1;
		}
		char request[4096];
		char *line = read_request_line(fd, request, sizeof(request));
		if (line == NULL) {
			close(fd);
			continue;
		}
		char body[64];
		int body_length = snprintf(body, sizeof(body), "cid=%u port=%u", peer.svm_cid, peer.svm_port);
		char answer[256];
		int answer_length = snprintf(answer, sizeof(answer),
				"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n"
				"Content-Length: %d\r\n\r\n%s", body_length, body);
		send(fd, answer, (size_t)answer_length, MSG_NOSIGNAL);
		close(fd);
		say("served '%s' to cid=%u", line, peer.svm_cid);
		if (strncmp(line, "GET /done ", 10) == 0)
			return 0;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: agent SERVER_PORT [relay=LISTEN_PORT:L1_PORT] [NAME=PORT ...]\n");
		return 2;
	}
	alarm(PATIENCE_SECONDS);
	int listener = listen_on((unsigned int)strtoul(argv[1], NULL, 10));
	if (listener < 0)
		return 1;
	for (int i = 2; i < argc; i++) {
		if (strncmp(argv[i], "relay=", 6) == 0) {
			if (start_relay(argv[i] + 6) != 0)
				return 2;
			continue;
		}
		char *separator = strchr(argv[i], '=');
		if (separator == NULL) {
			say("target '%s' is not NAME=PORT", argv[i]);
			return 2;
		}
		*separator = '\0';
		get_peer(argv[i], (unsigned int)strtoul(separator + 1, NULL, 10));
	}
	print_facts();
	say("waiting for /done");
	int code = serve_until_done(listener);
	say(code == 0 ? "done" : "failed");
	return code;
}
