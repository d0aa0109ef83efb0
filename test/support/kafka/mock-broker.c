/*
 * A Kafka-protocol broker for tests: librdkafka's mock cluster, driven over stdin.
 *
 *   mock-broker [brokers]      (default 1)
 *
 * Prints the bootstrap servers as one line on stdout, then reads one command per line and answers
 * "ok" or "error <why>" per command:
 *
 *   down <brokerId|-1>         close the broker's connections and refuse new ones (-1: all)
 *   up <brokerId|-1>           accept connections again
 *   topic <name> <partitions>  create a topic (the mock cluster does not serve CreateTopics)
 *
 * Exits cleanly on EOF (so it never outlives the process that feeds it), on SIGTERM or SIGINT, and
 * when its parent dies.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define LINE_MAX_LEN 1024

static void answer(rd_kafka_resp_err_t err) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
    printf("ok\n");
  else
    printf("error %s\n", rd_kafka_err2str(err));
  fflush(stdout);
}

static int parse_int(const char *text, long min, long max, long *out) {
  char *end;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < min || value > max) return 0;
  *out = value;
  return 1;
}

static void run_command(rd_kafka_mock_cluster_t *cluster, char *line) {
  char *saveptr = NULL;
  char *verb = strtok_r(line, " \t\r", &saveptr);
  char *first = strtok_r(NULL, " \t\r", &saveptr);
  char *second = strtok_r(NULL, " \t\r", &saveptr);
  long id, partitions;

  if (verb == NULL) {
    printf("error empty command\n");
  } else if ((strcmp(verb, "down") == 0 || strcmp(verb, "up") == 0) && first != NULL && second == NULL &&
             parse_int(first, -1, 1000000, &id)) {
    answer(strcmp(verb, "down") == 0 ? rd_kafka_mock_broker_set_down(cluster, (int32_t)id)
                                     : rd_kafka_mock_broker_set_up(cluster, (int32_t)id));
    return;
  } else if (strcmp(verb, "topic") == 0 && first != NULL && second != NULL &&
             parse_int(second, 1, 10000, &partitions)) {
    /* Replication factor 1: the mock keeps no replicas anyway, and 1 fits any broker count. */
    answer(rd_kafka_mock_topic_create(cluster, first, (int)partitions, 1));
    return;
  } else {
    printf("error unknown command or bad arguments: %s\n", verb);
  }
  fflush(stdout);
}

int main(int argc, char **argv) {
  long broker_count = 1;
  if (argc > 2 || (argc == 2 && !parse_int(argv[1], 1, 64, &broker_count))) {
    fprintf(stderr, "usage: %s [brokers 1..64]\n", argv[0]);
    return 64;
  }

  /* Block the signals before librdkafka starts its threads (they inherit the mask), and take them
   * through a signalfd, so every exit goes through the cleanup below. */
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  sigprocmask(SIG_BLOCK, &signals, NULL);
  int signal_fd = signalfd(-1, &signals, SFD_CLOEXEC);
  if (signal_fd < 0) {
    perror("signalfd");
    return 71;
  }
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() == 1) return 0; /* the parent died before we asked to be told */

  /* The mock cluster lives inside a client handle; a producer is the cheapest one. */
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "%s\n", errstr);
    return 70;
  }
  rd_kafka_t *handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (handle == NULL) {
    fprintf(stderr, "rd_kafka_new: %s\n", errstr);
    return 70;
  }
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(handle, (int)broker_count);
  if (cluster == NULL) {
    fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
    rd_kafka_destroy(handle);
    return 70;
  }
  printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  char buffer[LINE_MAX_LEN];
  size_t used = 0;
  for (;;) {
    struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = signal_fd, .events = POLLIN}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      perror("poll");
      break;
    }
    if (fds[1].revents & POLLIN) break;
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;

    ssize_t got = read(STDIN_FILENO, buffer + used, sizeof buffer - used - 1);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break; /* EOF: whoever drove us is gone */
    used += (size_t)got;
    buffer[used] = '\0';

    char *start = buffer;
    char *newline;
    while ((newline = strchr(start, '\n')) != NULL) {
      *newline = '\0';
      run_command(cluster, start);
      start = newline + 1;
    }
    used -= (size_t)(start - buffer);
    memmove(buffer, start, used);
    if (used == sizeof buffer - 1) {
      printf("error line too long\n");
      fflush(stdout);
      used = 0;
    }
  }

  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(handle);
  close(signal_fd);
  return 0;
}
