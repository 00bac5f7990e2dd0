#include "tests/support/process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace govmap::test {

std::map<std::string, std::optional<std::string>> without_libpq_env()
{
    std::map<std::string, std::optional<std::string>> env;
    for (char** e = environ; *e; ++e) {
        std::string entry = *e;
        if (entry.rfind("PG", 0) == 0)
            env[entry.substr(0, entry.find('='))] = std::nullopt;
    }
    env["GOVMAP_DB"] = std::nullopt;
    return env;
}

Output run_govmap(const std::vector<std::string>& args, const RunOptions& options)
{
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    std::string binary = options.binary.value_or(GOVMAP_BINARY);
    std::string memory_file;
    if (options.measure_memory) {
        if (access("/usr/bin/time", X_OK) != 0)
            throw std::runtime_error("measuring memory needs /usr/bin/time (Debian package time)");
        char name[] = "/tmp/govmap-rss-XXXXXX";
        int fd = mkstemp(name);
        if (fd < 0)
            throw std::runtime_error("mkstemp failed");
        close(fd);
        memory_file = name;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        int input = open(options.stdin_path ? options.stdin_path->c_str() : "/dev/null", O_RDONLY);
        dup2(input, 0);
        for (const auto& [k, v] : options.env) {
            if (v)
                setenv(k.c_str(), v->c_str(), 1);
            else
                unsetenv(k.c_str());
        }
        if (options.as_user) {
            struct passwd* pw = getpwnam(options.as_user->c_str());
            if (!pw || initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
                _exit(125);
            setenv("HOME", pw->pw_dir, 1);
        }
        std::vector<char*> argv;
        std::string time_binary = "/usr/bin/time", format = "-f%M", output = "-o" + memory_file;
        if (options.measure_memory)
            argv = {time_binary.data(), format.data(), output.data()};
        argv.push_back(const_cast<char*>(binary.c_str()));
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    Output result;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_fds = 2;
    char buf[8192];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0)
            continue;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                sinks[i]->append(buf, static_cast<std::size_t>(n));
            } else {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!memory_file.empty()) {
        // The last line is the peak in KiB (time may write "Command exited with non-zero status N" first).
        std::ifstream in(memory_file);
        for (std::string line; std::getline(in, line);)
            if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0])))
                result.max_rss_kib = std::stol(line);
        std::remove(memory_file.c_str());
    }
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

}  // namespace govmap::test
