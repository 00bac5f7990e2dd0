#include "cli/output_file.hpp"

#include "cli/context.hpp"

#include <ext/stdio_filebuf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace govmap::cli {

struct OutputFile::Impl {
    std::filesystem::path target, temp;
    int fd = -1;
    std::unique_ptr<__gnu_cxx::stdio_filebuf<char>> buffer;
    std::unique_ptr<std::ostream> out;
    bool committed = false;
};

namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error)
{
    throw Failure(exit_failure, fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(error)));
}

}  // namespace

OutputFile::OutputFile(std::filesystem::path target) : impl_(std::make_unique<Impl>())
{
    impl_->target = std::move(target);
    struct stat st {};
    if (::lstat(impl_->target.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
        throw Failure(exit_usage, fmt::format("{} exists and is not a regular file ({}); give a new or regular file, "
                                              "or - for standard output",
                                              impl_->target.string(),
                                              S_ISDIR(st.st_mode)                          ? "a directory"
                                              : S_ISLNK(st.st_mode)                        ? "a symbolic link"
                                              : S_ISFIFO(st.st_mode)                       ? "a FIFO"
                                              : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                                           : "not a file"));
    auto dir = impl_->target.parent_path();
    std::string pattern = ((dir.empty() ? std::filesystem::path(".") : dir) /
                           ("." + impl_->target.filename().string() + ".govmap-XXXXXX"))
                              .string();
    impl_->fd = ::mkstemp(pattern.data());
    if (impl_->fd < 0)
        fail("create a temporary file beside", impl_->target, errno);
    impl_->temp = pattern;
    // mkstemp makes it 0600; give the file the permissions a new file would have.
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(impl_->fd, 0666 & ~mask);
    impl_->buffer = std::make_unique<__gnu_cxx::stdio_filebuf<char>>(impl_->fd, std::ios::out | std::ios::binary);
    impl_->out = std::make_unique<std::ostream>(impl_->buffer.get());
}

OutputFile::~OutputFile()
{
    if (!impl_->committed && !impl_->temp.empty()) {
        impl_->out.reset();
        impl_->buffer.reset();  // closes the descriptor
        ::unlink(impl_->temp.c_str());
    }
}

std::ostream& OutputFile::stream() { return *impl_->out; }

void OutputFile::commit()
{
    impl_->out->flush();
    if (!*impl_->out)
        fail("write", impl_->temp, errno ? errno : EIO);
    if (::fsync(impl_->fd) != 0)
        fail("write", impl_->temp, errno);
    impl_->out.reset();
    impl_->buffer.reset();
    if (::rename(impl_->temp.c_str(), impl_->target.c_str()) != 0)
        fail("replace", impl_->target, errno);
    impl_->committed = true;
    // The rename itself survives a crash once the directory is synced.
    auto dir = impl_->target.parent_path();
    int d = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (d >= 0) {
        ::fsync(d);
        ::close(d);
    }
}

void write_file(const std::filesystem::path& path, const std::string& text)
{
    OutputFile file(path);
    file.stream() << text;
    file.commit();
}

void check_stdout()
{
    std::cout.flush();
    bool failed = !std::cout;
    errno = 0;
    failed = std::fflush(stdout) != 0 || std::ferror(stdout) || failed;
    if (failed)
        throw Failure(exit_failure, std::string("cannot write to standard output") +
                                        (errno ? ": " + std::string(std::strerror(errno)) : ""));
}

}  // namespace govmap::cli
