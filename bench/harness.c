/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oh-bench: times short commands side by side, interleaved.
 *
 *   oh-bench [-r RUNS] [-w WARMUP] 'NAME=PROGRAM ARG... [<INPUT]' ...
 *
 * Every round runs each command once, in a new random order each round, so
 * a burst of load from other work on the machine lands on all of them alike
 * (hyperfine runs one command's runs back to back), and no command always
 * follows the same neighbour (a heavy one leaves caches cold for the next).  A command
 * reads INPUT on stdin and writes (stdout and stderr) to /dev/null; no
 * shell is involved, so nothing has to be subtracted.  Words are split on blanks: no quoting.
 *
 * Prints one tab-separated line per command:
 *   name runs median_ms p25_ms p75_ms min_ms cpu_median_ms maxrss_kib exit
 * cpu is user+system time of the child; maxrss the largest over all runs.
 * A command that exits with a status other than its first run's, or by a
 * signal, aborts the benchmark: a timing of a failure is worthless.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct cmd {
	char *name;
	char **argv;
	char *input;
	double *wall, *cpu;
	long maxrss;
	int status;
};

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void parse(struct cmd *c, char *spec)
{
	char *eq = strchr(spec, '=');
	size_t n = 0;

	if (eq == NULL) {
		fprintf(stderr, "oh-bench: %s: expected NAME=COMMAND\n", spec);
		exit(2);
	}
	*eq = '\0';
	c->name = spec;
	c->argv = calloc(strlen(eq + 1) / 2 + 2, sizeof(char *));
	if (c->argv == NULL)
		die("calloc");
	for (char *save, *w = strtok_r(eq + 1, " \t", &save); w != NULL;
	     w = strtok_r(NULL, " \t", &save)) {
		if (w[0] == '<')
			c->input = w + 1;
		else
			c->argv[n++] = w;
	}
	if (n == 0) {
		fprintf(stderr, "oh-bench: %s: no command\n", c->name);
		exit(2);
	}
	c->status = -1;
}

static double seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

/* Runs c once; returns its wall time and fills *cpu. */
static double run(struct cmd *c, double *cpu)
{
	posix_spawn_file_actions_t fa;
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, c->input ? c->input : "/dev/null",
					 O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = posix_spawnp(&pid, c->argv[0], &fa, NULL, c->argv, environ);
	if (rc != 0) {
		errno = rc;
		die(c->argv[0]);
	}
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	posix_spawn_file_actions_destroy(&fa);

	if (!WIFEXITED(st)) {
		fprintf(stderr, "oh-bench: %s: killed by signal %d\n", c->name,
			WTERMSIG(st));
		exit(2);
	}
	if (c->status < 0) {
		c->status = WEXITSTATUS(st);
	} else if (c->status != WEXITSTATUS(st)) {
		fprintf(stderr, "oh-bench: %s: exit status %d, first run had %d\n",
			c->name, WEXITSTATUS(st), c->status);
		exit(2);
	}
	if (ru.ru_maxrss > c->maxrss)
		c->maxrss = ru.ru_maxrss;
	*cpu = seconds(&ru.ru_utime) + seconds(&ru.ru_stime);
	return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile of sorted v[0..n), linearly interpolated. */
static double quantile(const double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

int main(int argc, char **argv)
{
	int runs = 200, warmup = 20, opt, n;
	struct cmd *cmds;

	while ((opt = getopt(argc, argv, "r:w:")) != -1) {
		if (opt == 'r')
			runs = atoi(optarg);
		else if (opt == 'w')
			warmup = atoi(optarg);
		else
			goto usage;
	}
	n = argc - optind;
	if (n < 1 || runs < 1 || warmup < 0)
		goto usage;
	cmds = calloc((size_t)n, sizeof(*cmds));
	if (cmds == NULL)
		die("calloc");
	for (int i = 0; i < n; i++) {
		parse(&cmds[i], argv[optind + i]);
		cmds[i].wall = calloc((size_t)runs, sizeof(double));
		cmds[i].cpu = calloc((size_t)runs, sizeof(double));
		if (cmds[i].wall == NULL || cmds[i].cpu == NULL)
			die("calloc");
	}
	int *order = calloc((size_t)n, sizeof(int));
	uint64_t rng = 0x9e3779b97f4a7c15ull;  /* fixed: runs are repeatable */
	if (order == NULL)
		die("calloc");
	for (int i = 0; i < n; i++)
		order[i] = i;
	for (int r = -warmup; r < runs; r++) {
		/* Fisher-Yates over a xorshift generator. */
		for (int i = n - 1; i > 0; i--) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			int j = (int)(rng % (uint64_t)(i + 1)), t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		for (int k = 0; k < n; k++) {
			struct cmd *c = &cmds[order[k]];
			double cpu, wall = run(c, &cpu);
			if (r >= 0) {
				c->wall[r] = wall;
				c->cpu[r] = cpu;
			}
		}
	}
	for (int i = 0; i < n; i++) {
		struct cmd *c = &cmds[i];
		qsort(c->wall, (size_t)runs, sizeof(double), cmp);
		qsort(c->cpu, (size_t)runs, sizeof(double), cmp);
		printf("%s\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%ld\t%d\n", c->name, runs,
		       quantile(c->wall, runs, 0.5) * 1e3,
		       quantile(c->wall, runs, 0.25) * 1e3,
		       quantile(c->wall, runs, 0.75) * 1e3, c->wall[0] * 1e3,
		       quantile(c->cpu, runs, 0.5) * 1e3, c->maxrss, c->status);
	}
	return 0;
usage:
	fprintf(stderr, "usage: oh-bench [-r RUNS] [-w WARMUP] "
		"'NAME=PROGRAM ARG... [<INPUT]' ...\n");
	return 2;
}
