package dev.nano.isolate;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * What an app's JavaScript sees of the disk: its own folder, read-only, so that it can import
 * its sibling modules and nothing else. Paths are checked after resolving symbolic links, so a
 * link inside the folder cannot point outside it.
 */
final class AppFolderFileSystem implements FileSystem {

    private final FileSystem delegate = FileSystem.newReadOnlyFileSystem(FileSystem.newDefaultFileSystem());
    private final Path root;

    AppFolderFileSystem(Path root) throws IOException {
        this.root = root.toRealPath();
        delegate.setCurrentWorkingDirectory(this.root);
    }

    private Path inside(Path path) throws IOException {
        Path absolute = delegate.toAbsolutePath(path).normalize();
        Path real = absolute.toFile().exists() ? absolute.toRealPath() : absolute;
        if (!real.startsWith(root)) {
            throw new SecurityException("access outside the app folder is denied: " + path);
        }
        return real;
    }

    @Override
    public Path parsePath(URI uri) {
        return delegate.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return delegate.parsePath(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        delegate.checkAccess(inside(path), modes, linkOptions);
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
        return delegate.newByteChannel(inside(path), options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        return delegate.newDirectoryStream(inside(dir), filter);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return delegate.toAbsolutePath(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        return delegate.toRealPath(inside(path), linkOptions);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return delegate.readAttributes(inside(path), attributes, options);
    }
}
