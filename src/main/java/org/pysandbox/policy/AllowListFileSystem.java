package org.pysandbox.policy;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.graalvm.polyglot.io.FileSystem;

/**
 * The only host file system a sandbox context ever sees: read-only, and limited to the real paths the
 * configuration allows. Every access is checked on the fully resolved path, so {@code ..} and symbolic
 * links that leave an allowed tree are refused here even if the Python layer were bypassed.
 */
final class AllowListFileSystem implements FileSystem {
    private final FileSystem delegate = FileSystem.newReadOnlyFileSystem(FileSystem.newDefaultFileSystem());
    private final List<Path> roots;

    AllowListFileSystem(List<Path> allowed) {
        List<Path> real = new ArrayList<>();
        for (Path p : allowed) {
            try {
                real.add(p.toRealPath());
            } catch (IOException e) {
                real.add(p.toAbsolutePath().normalize()); // may appear later; checked on each access
            }
        }
        this.roots = List.copyOf(real);
    }

    private Path checked(Path path) throws IOException {
        Path absolute = delegate.toAbsolutePath(path).normalize();
        Path real;
        try {
            real = delegate.toRealPath(absolute);
        } catch (NoSuchFileException e) {
            if (isUnderRoot(absolute)) {
                throw e;
            }
            throw new AccessDeniedException(path.toString(), null, "blocked by the sandbox: not an allowed path");
        }
        if (isUnderRoot(real)) {
            return real;
        }
        throw new AccessDeniedException(path.toString(), null, "blocked by the sandbox: not an allowed path");
    }

    private boolean isUnderRoot(Path real) {
        for (Path root : roots) {
            if (real.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    /** Directories above an allowed root may be looked at (path resolution needs it), never listed or read. */
    private boolean isAncestorOfRoot(Path absolute) {
        for (Path root : roots) {
            if (root.startsWith(absolute)) {
                return true;
            }
        }
        return false;
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
        if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
            throw new AccessDeniedException(path.toString(), null, "blocked by the sandbox: files are read-only");
        }
        Path absolute = delegate.toAbsolutePath(path).normalize();
        if (isAncestorOfRoot(absolute)) {
            delegate.checkAccess(absolute, modes, linkOptions);
            return;
        }
        delegate.checkAccess(checked(path), modes, linkOptions);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        throw new AccessDeniedException(dir.toString(), null, "blocked by the sandbox: files are read-only");
    }

    @Override
    public void delete(Path path) throws IOException {
        throw new AccessDeniedException(path.toString(), null, "blocked by the sandbox: files are read-only");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption option : options) {
            if (option != StandardOpenOption.READ && option != LinkOption.NOFOLLOW_LINKS) {
                throw new AccessDeniedException(path.toString(), null, "blocked by the sandbox: files are read-only");
            }
        }
        return delegate.newByteChannel(checked(path), options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        return delegate.newDirectoryStream(checked(dir), filter);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return delegate.toAbsolutePath(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        Path absolute = delegate.toAbsolutePath(path).normalize();
        if (isAncestorOfRoot(absolute)) {
            return delegate.toRealPath(absolute, linkOptions);
        }
        return checked(path);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        Path absolute = delegate.toAbsolutePath(path).normalize();
        if (isAncestorOfRoot(absolute) || isUnderRoot(absolute) && options.length > 0) {
            return delegate.readAttributes(absolute, attributes, options);
        }
        return delegate.readAttributes(checked(path), attributes, options);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        Path absolute = delegate.toAbsolutePath(link).normalize();
        if (isAncestorOfRoot(absolute) || isUnderRoot(absolute)) {
            return delegate.readSymbolicLink(absolute);
        }
        throw new AccessDeniedException(link.toString(), null, "blocked by the sandbox: not an allowed path");
    }
}
