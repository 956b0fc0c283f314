/* Unit tests for common/config: flags win over environment, errors are reported. */
#include <stdlib.h>

#include "config.h"
#include "test.h"

static const char *host;
static int port;
static bool seed;

static config_result load(int argc, char **argv)
{
    const config_option opts[] = {
        {"host", "TEST_HOST", CONFIG_STRING, &host, "address", 0, 0},
        {"port", "TEST_PORT", CONFIG_INT, &port, "port", 0, 65535},
        {"seed", "TEST_SEED", CONFIG_BOOL, &seed, "seed", 0, 0},
    };
    const config_program prog = {"test", "unit test"};
    return config_load(&prog, opts, 3, argc, argv);
}

static void test_defaults_kept(void)
{
    host = "127.0.0.1", port = 8081, seed = false;
    char *argv[] = {"test", NULL};
    CHECK_EQ_INT(load(1, argv), CONFIG_RUN);
    CHECK_EQ_STR(host, "127.0.0.1");
    CHECK_EQ_INT(port, 8081);
    CHECK(!seed);
}

static void test_env_then_flag(void)
{
    setenv("TEST_PORT", "9000", 1);
    setenv("TEST_SEED", "true", 1);
    char *argv[] = {"test", "--port", "9100", "--host=0.0.0.0", NULL};
    CHECK_EQ_INT(load(4, argv), CONFIG_RUN);
    CHECK_EQ_INT(port, 9100);
    CHECK_EQ_STR(host, "0.0.0.0");
    CHECK(seed);
    unsetenv("TEST_PORT");
    unsetenv("TEST_SEED");
}

static void test_errors(void)
{
    char *bad_port[] = {"test", "--port", "70000", NULL};
    CHECK_EQ_INT(load(3, bad_port), CONFIG_ERROR);
    char *not_number[] = {"test", "--port", "80x", NULL};
    CHECK_EQ_INT(load(3, not_number), CONFIG_ERROR);
    char *unknown[] = {"test", "--nope", NULL};
    CHECK_EQ_INT(load(2, unknown), CONFIG_ERROR);
    char *missing[] = {"test", "--host", NULL};
    CHECK_EQ_INT(load(2, missing), CONFIG_ERROR);
    setenv("TEST_SEED", "maybe", 1);
    char *argv[] = {"test", NULL};
    CHECK_EQ_INT(load(1, argv), CONFIG_ERROR);
    unsetenv("TEST_SEED");
}

static void test_help_version(void)
{
    char *help[] = {"test", "--help", NULL};
    CHECK_EQ_INT(load(2, help), CONFIG_EXIT);
    char *version[] = {"test", "--version", NULL};
    CHECK_EQ_INT(load(2, version), CONFIG_EXIT);
}

TEST_MAIN(TEST(test_defaults_kept), TEST(test_env_then_flag), TEST(test_errors),
          TEST(test_help_version))
