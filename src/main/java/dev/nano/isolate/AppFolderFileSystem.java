package dev.nano.isolate;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * What an app's JavaScript sees of the disk: its own folder, read-only, as the root {@code /}
 * of its file system, so that it can import its sibling modules and nothing else. The app sees
 * only these virtual paths ({@code /index.js}, {@code /lib/util.js}) in module names, stacks
 * and error messages, never where its folder is on the host. Paths are checked after resolving
 * symbolic links, so a link inside the folder cannot point outside it.
 */
final class AppFolderFileSystem implements FileSystem {

    private final FileSystem delegate = FileSystem.newReadOnlyFileSystem(FileSystem.newDefaultFileSystem());
    private final Path root;
    private final Path virtualRoot;

    AppFolderFileSystem(Path root) throws IOException {
        this.root = root.toRealPath();
        this.virtualRoot = delegate.parsePath("/");
    }

    /** The virtual path an app sees for a file of its folder. */
    static String virtualPath(Path folder, Path file) {
        return "/" + folder.relativize(file).toString().replace('\\', '/');
    }

    /** A virtual path (absolute, or relative to the virtual root) on the host, checked to be inside. */
    private Path inside(Path path) throws IOException {
        Path virtual = virtualRoot.resolve(path).normalize();   // "/.." normalizes to "/": no way up
        Path host = root.resolve(virtualRoot.relativize(virtual).toString()).normalize();
        Path real = host.toFile().exists() ? host.toRealPath() : host;
        if (!real.startsWith(root)) {
            throw new SecurityException("access outside the app folder is denied: " + virtual);
        }
        return real;
    }

    private Path toVirtual(Path host) {
        return virtualRoot.resolve(root.relativize(host).toString());
    }

    @Override
    public Path parsePath(URI uri) {
        return delegate.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return delegate.parsePath(path);
    }

    /** A file operation on the host whose failure names the virtual path, never the host's. */
    private interface HostCall<T> {
        T run(Path host) throws IOException;
    }

    private <T> T onHost(Path path, HostCall<T> call) throws IOException {
        Path host = inside(path);
        try {
            return call.run(host);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(virtualRoot.resolve(path).normalize().toString());
        } catch (IOException e) {
            throw new IOException(e.getClass().getSimpleName() + ": " + virtualRoot.resolve(path).normalize());
        }
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        onHost(path, host -> {
            delegate.checkAccess(host, modes, linkOptions);
            return null;
        });
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        throw new SecurityException("apps cannot write files");
    }

    @Override
    public void delete(Path path) throws IOException {
        throw new SecurityException("apps cannot write files");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return onHost(path, host -> delegate.newByteChannel(host, options, attrs));
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        throw new SecurityException("apps cannot list directories");
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return virtualRoot.resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        return onHost(path, host -> toVirtual(delegate.toRealPath(host, linkOptions)));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return onHost(path, host -> delegate.readAttributes(host, attributes, options));
    }
}
