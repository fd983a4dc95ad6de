package triplicate.importer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import triplicate.core.TriplicateException;

/**
 * Imports photos from a source into the library. Every file is copied to a temporary file in the library (hashing
 * what is read, so the source is read once), synced to the disk, read back and compared by SHA-256, and only then
 * given its name by a rename that never replaces a file; it counts as imported from that moment, and the ledger is
 * told. Content the ledger already knows is a duplicate and is not copied. The source is only read, except that
 * {@link ImportSettings#eraseVerified()} deletes a source file once its verified copy is found in the library.
 *
 * <p>Bad input never costs a photo: unreadable or changing files are reported and the rest imported; a source that
 * stops answering (a card pulled out) or a library that cannot be written (a full or read-only disk) stops the
 * import with what was verified kept and nothing half-written left. Running the same import again finishes the job:
 * names are planned deterministically, and a file found at its planned name with the same content is recognised.
 *
 * <p>{@link #importFiles} takes a list of files instead of a whole source, for callers that learn of files one at a
 * time (a watched folder). An importer holds no state between calls; calls into one library are serialised by a
 * lock in the library.
 */
public final class Importer {
    /** Reads of the source that fail in a row before the import concludes that the source is gone. */
    static final int SOURCE_FAILURES_TO_STOP = 3;
    /** Capture times before this are not plausible. */
    private static final LocalDateTime EARLIEST = LocalDateTime.of(1900, 1, 1, 0, 0);

    private final ImportSettings settings;
    private final MetadataSource metadata;
    private final ImportLedger ledger;
    private final InstantSource clock;
    private final Copier.SourceOpener opener;

    public Importer(ImportSettings settings, MetadataSource metadata, ImportLedger ledger, InstantSource clock) {
        this(settings, metadata, ledger, clock, Copier.SourceOpener.FILES);
    }

    Importer(ImportSettings settings, MetadataSource metadata, ImportLedger ledger, InstantSource clock,
             Copier.SourceOpener opener) {
        this.settings = Objects.requireNonNull(settings);
        this.metadata = Objects.requireNonNull(metadata);
        this.ledger = Objects.requireNonNull(ledger);
        this.clock = Objects.requireNonNull(clock);
        this.opener = Objects.requireNonNull(opener);
    }

    /** Recognises the source (card, phone, folder) and imports its photos, videos and sidecars. */
    public ImportReport run(Path source, ImportProgress progress) throws IOException {
        Path root = checkSource(source);
        SourceScanner.Scan scan = SourceScanner.scan(root);
        return execute(root, scan, progress);
    }

    /**
     * Imports just {@code files} (each under {@code source}), grouped among themselves: a RAW and its sidecar given
     * together stay together.
     */
    public ImportReport importFiles(Path source, List<Path> files, ImportProgress progress) throws IOException {
        Path root = checkSource(source);
        List<Path> absolute = files.stream().map(f -> root.resolve(f).toAbsolutePath().normalize()).toList();
        return execute(root, SourceScanner.of(absolute), progress);
    }

    private Path checkSource(Path source) throws IOException {
        Path root = source.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new TriplicateException(Files.exists(root) ? "the source " + root + " is not a folder"
                    : "there is no source folder " + root);
        }
        Path real = root.toRealPath();
        Path lib = settings.library().toAbsolutePath().normalize();
        Path libReal = existingAncestor(lib);
        if (libReal.startsWith(real)) {
            throw new TriplicateException("the library " + lib + " is inside the source " + root
                    + "; import from the card or folder itself");
        }
        if (Files.exists(lib) && real.startsWith(lib.toRealPath())) {
            throw new TriplicateException("the source " + root + " is inside the library " + lib
                    + "; it is already in the library");
        }
        return root;
    }

    private static Path existingAncestor(Path p) throws IOException {
        Path cur = p;
        List<Path> missing = new ArrayList<>();
        while (cur != null && !Files.exists(cur)) {
            missing.add(0, cur.getFileName());
            cur = cur.getParent();
        }
        if (cur == null) {
            return p;
        }
        Path real = cur.toRealPath();
        for (Path m : missing) {
            real = real.resolve(m);
        }
        return real;
    }

    // ------------------------------------------------------------------------------------------------ one run

    private ImportReport execute(Path root, SourceScanner.Scan scan, ImportProgress progress) throws IOException {
        long started = System.nanoTime();
        Run run = new Run(root, progress);
        scan.warnings().forEach(w -> run.warn(w.path(), w.message()));
        List<AssetGroup> groups = AssetGroup.of(scan.files());
        for (AssetGroup g : groups) {
            for (AssetGroup.Member m : g.members()) {
                progress.filesTotal.increment();
                progress.bytesTotal.add(m.size());
            }
        }
        Path library = settings.library().toAbsolutePath().normalize();
        ExecutorService pool = Executors.newFixedThreadPool(settings.parallelism(), r -> {
            Thread t = new Thread(r, "triplicate-import");
            t.setDaemon(true);
            return t;
        });
        Staging staging = null;
        try {
            if (!settings.dryRun()) {
                staging = openLibrary(library);
            }
            run.staging = staging;
            List<Planner.Facted> facted = readFacts(groups, run, pool);
            Planner planner = new Planner(library, settings.template(), settings.shoot());
            run.planner = planner;
            List<Planner.PlannedGroup> plan = planner.plan(facted);
            findDuplicatesWithin(plan, run);
            for (Planner.PlannedGroup g : plan) {
                g.group().members().forEach(run::place);
            }
            List<Future<?>> futures = new ArrayList<>(plan.size());
            for (Planner.PlannedGroup g : plan) {
                futures.add(pool.submit(() -> run.importGroup(g)));
            }
            for (Future<?> f : futures) {
                join(f);
            }
            if (settings.eraseVerified() && !settings.dryRun()) {
                run.erase();
            }
        } finally {
            pool.shutdownNow();
            if (staging != null) {
                staging.close();
            }
        }
        List<FileOutcome> files = new ArrayList<>(run.outcomes.size() + scan.skipped().size());
        run.outcomes.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> files.add(e.getValue()));
        files.addAll(scan.skipped());
        return new ImportReport(root, scan.kind(), library, settings.dryRun(), files, List.copyOf(run.warnings),
                run.stopped.get(), List.copyOf(run.erased), run.bytesCopied.get(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static void join(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    /** Creates the library if needed and takes its import lock; a clear message when it cannot be written. */
    private static Staging openLibrary(Path library) {
        try {
            if (!Files.isDirectory(library)) {
                Path parent = library.getParent();
                if (parent == null || !Files.isDirectory(parent)) {
                    throw new TriplicateException("there is no library folder " + library + " (nor its parent folder,"
                            + " so it was not created)");
                }
                Files.createDirectories(library);
            }
            return Staging.open(library);
        } catch (TriplicateException e) {
            throw e;
        } catch (IOException e) {
            throw new TriplicateException(libraryProblem(library, e) + "; nothing was imported", e);
        }
    }

    /**
     * Reads the capture facts of every group, in parallel: its primary file's, or, when the primary has no usable
     * capture time (a RAW the reader cannot date), those of the first other member that has one (its JPEG twin, its
     * sidecar). Resolves implausible dates.
     */
    private List<Planner.Facted> readFacts(List<AssetGroup> groups, Run run, ExecutorService pool)
            throws IOException {
        List<Future<CaptureFacts>> futures = new ArrayList<>(groups.size());
        for (AssetGroup g : groups) {
            futures.add(pool.submit(() -> {
                CaptureFacts primary = null;
                for (AssetGroup.Member m : g.members()) {
                    if (run.stopped.get() != null) {
                        return null;
                    }
                    CaptureFacts f;
                    try {
                        f = metadata.read(m.source());
                        f = f == null ? CaptureFacts.NONE : f;
                        run.sourceWorked();
                    } catch (IOException e) {
                        run.sourceFailed(m.source(), e);
                        if (primary == null) {
                            return null;
                        }
                        continue;
                    } catch (RuntimeException e) {
                        f = new CaptureFacts(null, null, null, null, null,
                                List.of("its metadata could not be read (" + describe(e) + ")"));
                    }
                    if (primary == null) {
                        primary = f;
                        if (usable(f.capture())) {
                            return f;
                        }
                    } else if (usable(f.capture())) {
                        return borrow(primary, f);
                    }
                }
                return primary;
            }));
        }
        List<Planner.Facted> out = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            AssetGroup g = groups.get(i);
            CaptureFacts f;
            try {
                f = futures.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException(e.getCause());
            }
            if (f == null) {
                for (AssetGroup.Member m : g.members()) {
                    run.progress.bytesDone.add(m.size());
                    run.done(m, run.stopped.get() != null ? new FileOutcome.Left(m.source())
                            : new FileOutcome.Failed(m.source(), "cannot be read"));
                }
                continue;
            }
            out.add(new Planner.Facted(g, f.withCapture(captureTime(g.primary(), f, run))));
        }
        return out;
    }

    /** Whether a capture time can name a photo: read from the file, and plausible. */
    private boolean usable(Capture c) {
        return c != null && !c.fallback() && plausible(c.local());
    }

    private boolean plausible(LocalDateTime t) {
        LocalDateTime latest = LocalDateTime.ofInstant(clock.instant(), settings.zone()).plusDays(2);
        return !t.isBefore(EARLIEST) && !t.isAfter(latest);
    }

    /** The primary's facts with another member's capture time, and its camera where the primary does not say. */
    private static CaptureFacts borrow(CaptureFacts primary, CaptureFacts other) {
        return new CaptureFacts(other.capture(), primary.make() != null ? primary.make() : other.make(),
                primary.model() != null ? primary.model() : other.model(),
                primary.lens() != null ? primary.lens() : other.lens(),
                primary.serial() != null ? primary.serial() : other.serial(), List.of());
    }

    /**
     * The capture time to name by: the metadata's when it has one and it is plausible, else the file's modification
     * time, with a warning (the name is then a guess, and the warning says why).
     */
    private Capture captureTime(AssetGroup.Member primary, CaptureFacts facts, Run run) {
        Capture c = facts.capture();
        String reasons = facts.warnings().isEmpty() ? "" : " (" + String.join("; ", facts.warnings()) + ")";
        if (c != null && c.fallback()) {
            run.warn(primary.source(), "named by the file's modification time, " + c.local().withNano(0)
                    + ", since it has no usable capture date" + reasons);
            return c;
        }
        if (c != null && plausible(c.local())) {
            return c;
        }
        LocalDateTime fromFile = LocalDateTime.ofInstant(primary.mtime().toInstant(), settings.zone());
        if (c != null) {
            run.warn(primary.source(), "its capture date " + c.local() + " is not plausible (before 1900 or in the"
                    + " future); named by the file's modification time, " + fromFile.withNano(0) + ", instead");
        } else {
            run.warn(primary.source(), "named by the file's modification time, " + fromFile.withNano(0)
                    + ", since it has no capture date" + reasons);
        }
        return new Capture(fromFile, null, true);
    }

    /**
     * Files of this source with equal content: only the first in plan order is copied, the others are its
     * duplicates. Only files that share a size with another are read for this (rare among photos).
     */
    private void findDuplicatesWithin(List<Planner.PlannedGroup> plan, Run run) throws IOException {
        Map<Long, List<Slot>> bySize = new HashMap<>();
        for (Planner.PlannedGroup g : plan) {
            for (int i = 0; i < g.group().members().size(); i++) {
                if (g.group().members().get(i).kind() == MediaKind.SIDECAR) {
                    continue; // a sidecar belongs to its photo, whatever other sidecars hold
                }
                bySize.computeIfAbsent(g.group().members().get(i).size(), k -> new ArrayList<>())
                        .add(new Slot(g, i));
            }
        }
        Copier copier = new Copier(opener);
        for (List<Slot> same : bySize.values()) {
            if (same.size() < 2) {
                continue;
            }
            Map<String, Slot> first = new HashMap<>();
            for (Slot s : same) {
                if (run.stopped.get() != null) {
                    return;
                }
                AssetGroup.Member m = s.member();
                try {
                    Copier.Read r = copier.hashSource(m.source(), n -> { });
                    run.sourceWorked();
                    run.prehashed.put(m, r.sha256());
                    Slot keeper = first.putIfAbsent(r.sha256(), s);
                    if (keeper != null) {
                        run.keeperOf.put(m, keeper.member());
                    }
                } catch (IOException e) {
                    run.sourceFailed(m.source(), e); // the copy step tries again and reports it
                }
            }
        }
        for (AssetGroup.Member keeper : run.keeperOf.values()) {
            run.keeperOutcome.putIfAbsent(keeper, new CompletableFuture<>());
        }
    }

    private record Slot(Planner.PlannedGroup group, int index) {
        AssetGroup.Member member() {
            return group.group().members().get(index);
        }
    }

    /** A short description of an exception for a message. */
    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** What went wrong with the library, for the user. */
    static String libraryProblem(Path library, IOException e) {
        Throwable c = e instanceof Copier.LibraryFailure && e.getCause() != null ? e.getCause() : e;
        String m = String.valueOf(c.getMessage());
        if (m.contains("No space left") || m.contains("Disk quota exceeded")) {
            return "the library disk is full (" + library + "): free some space and run the same import again";
        }
        if (m.contains("Read-only file system")) {
            return "the library " + library + " is on a read-only disk";
        }
        if (c instanceof AccessDeniedException || m.contains("Permission denied")
                || m.contains("Operation not permitted")) {
            return "cannot write to the library " + library + " (" + describe(c) + ")";
        }
        return "writing to the library " + library + " failed: " + describe(c);
    }

    // ------------------------------------------------------------------------------------------------ the run's state

    /** The state of one import; its methods are called from the workers. */
    private final class Run {
        final Path root;
        final ImportProgress progress;
        final Map<Integer, FileOutcome> outcomes = Collections.synchronizedMap(new java.util.TreeMap<>());
        final ConcurrentLinkedQueue<ImportReport.Warning> warnings = new ConcurrentLinkedQueue<>();
        final AtomicReference<String> stopped = new AtomicReference<>();
        final AtomicInteger sourceFailuresInARow = new AtomicInteger();
        final AtomicLong bytesCopied = new AtomicLong();
        final List<Path> erased = Collections.synchronizedList(new ArrayList<>());
        final Map<AssetGroup.Member, String> prehashed = Collections.synchronizedMap(new IdentityHashMap<>());
        final Map<AssetGroup.Member, AssetGroup.Member> keeperOf = Collections.synchronizedMap(new IdentityHashMap<>());
        final Map<AssetGroup.Member, CompletableFuture<FileOutcome>> keeperOutcome =
                Collections.synchronizedMap(new IdentityHashMap<>());
        /** Source files whose verified copy is in the library: what --erase-verified may delete. */
        final List<Verified> verified = Collections.synchronizedList(new ArrayList<>());
        private final Map<AssetGroup.Member, Integer> order = Collections.synchronizedMap(new IdentityHashMap<>());
        private final AtomicInteger nextOrder = new AtomicInteger();
        private final Object ledgerLock = new Object();
        Staging staging;
        Planner planner;
        private final ThreadLocal<Copier> copiers;

        Run(Path root, ImportProgress progress) {
            this.root = root;
            this.progress = progress;
            this.copiers = ThreadLocal.withInitial(() -> new Copier(opener));
        }

        void warn(Path path, String message) {
            warnings.add(new ImportReport.Warning(path, message));
            progress.warnings.increment();
        }

        void stop(String why) {
            stopped.compareAndSet(null, why);
        }

        void sourceWorked() {
            sourceFailuresInARow.set(0);
        }

        /** A read of the source failed: stops the import if the source is gone or keeps failing. */
        void sourceFailed(Path file, IOException e) {
            int inARow = sourceFailuresInARow.incrementAndGet();
            boolean gone;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                ds.iterator().hasNext();
                gone = false;
            } catch (IOException | RuntimeException listing) {
                gone = true;
            }
            if (gone || inARow >= SOURCE_FAILURES_TO_STOP) {
                stop("the source stopped answering (" + (gone ? root + " cannot be read any more"
                        : inARow + " reads failed in a row") + "; was the card removed?). Last error, on " + file + ": "
                        + describe(e));
            }
        }

        /** Gives a file its place in the report (the order of planning). */
        void place(AssetGroup.Member m) {
            order.computeIfAbsent(m, k -> nextOrder.getAndIncrement());
        }

        void done(AssetGroup.Member m, FileOutcome o) {
            place(m);
            int index = order.get(m);
            outcomes.put(index, o);
            progress.filesDone.increment();
            switch (o) {
                case FileOutcome.Imported i -> progress.imported.increment();
                case FileOutcome.Duplicate d -> progress.duplicates.increment();
                case FileOutcome.Failed f -> warn(f.source(), "not imported: " + f.reason());
                case FileOutcome.Planned p -> { }
                case FileOutcome.Skipped s -> { }
                case FileOutcome.Left l -> { }
            }
            CompletableFuture<FileOutcome> waiting = keeperOutcome.get(m);
            if (waiting != null) {
                waiting.complete(o);
            }
        }

        /** Bytes of the source read for the file this thread is on. */
        private final ThreadLocal<long[]> readForFile = ThreadLocal.withInitial(() -> new long[1]);

        private void read(long n) {
            progress.bytesDone.add(n);
            readForFile.get()[0] += n;
        }

        void importGroup(Planner.PlannedGroup g) {
            List<AssetGroup.Member> members = g.group().members();
            Path groupPath = null;
            Path primaryExisting = null;
            for (int i = 0; i < members.size(); i++) {
                AssetGroup.Member m = members.get(i);
                readForFile.get()[0] = 0;
                FileOutcome o;
                if (stopped.get() != null) {
                    o = new FileOutcome.Left(m.source());
                } else {
                    try {
                        // a sidecar belongs to its photo: never dropped because other content is equal to it
                        boolean dedupe = m.kind() != MediaKind.SIDECAR;
                        o = importMember(g, i, groupPath, primaryExisting, dedupe);
                    } catch (Copier.SourceFailure e) {
                        sourceFailed(m.source(), e);
                        o = new FileOutcome.Failed(m.source(), "cannot be read: " + describe(e));
                    } catch (Copier.LibraryFailure e) {
                        stop(libraryProblem(settings.library(), e));
                        o = new FileOutcome.Failed(m.source(), "the library could not be written");
                    } catch (LedgerFailure e) {
                        stopForLedger(e);
                        o = new FileOutcome.Failed(m.source(), e.placed == null ? "the catalog failed"
                                : "copied and verified as " + e.placed + ", but the catalog could not record it"
                                + " (the same import, run again, records it)");
                    } catch (IOException | RuntimeException e) {
                        o = new FileOutcome.Failed(m.source(), describe(e));
                    }
                }
                if (i == 0) {
                    primaryExisting = o instanceof FileOutcome.Duplicate d ? d.existing() : null;
                    groupPath = switch (o) {
                        case FileOutcome.Imported im -> im.target();
                        case FileOutcome.Duplicate d -> d.existing();
                        default -> Path.of(g.targets().get(0).relative());
                    };
                }
                // a file done without being read (a duplicate known by its hash) still counts for the progress display
                progress.bytesDone.add(Math.max(0, m.size() - readForFile.get()[0]));
                done(m, o);
            }
        }

        /**
         * @param primaryExisting where the group's primary file already was in the library, if it was: the other
         *                        members go beside it, under its name
         * @param dedupe          whether content equal to a file elsewhere in the library makes this a duplicate
         */
        private FileOutcome importMember(Planner.PlannedGroup g, int i, Path groupPath, Path primaryExisting,
                                         boolean dedupe) throws IOException {
            AssetGroup.Member m = g.group().members().get(i);
            Planner.Target target = g.targets().get(i);
            if (primaryExisting != null) {
                target = planner.beside(primaryExisting.toString().replace('\\', '/'), target, m.size());
            }
            Copier copier = copiers.get();
            AssetGroup.Member keeper = keeperOf.get(m);
            if (keeper != null) {
                FileOutcome k = keeperOutcome.get(keeper).join();
                String sha = prehashed.get(m);
                switch (k) {
                    case FileOutcome.Imported im -> {
                        return duplicate(m, im.target(), sha, false);
                    }
                    case FileOutcome.Duplicate d -> {
                        return duplicate(m, d.existing(), sha, false);
                    }
                    case FileOutcome.Planned p -> {
                        return duplicate(m, p.target(), sha, false);
                    }
                    case FileOutcome.Failed f -> { } // copy this one instead
                    case FileOutcome.Left l -> {
                        return new FileOutcome.Left(m.source());
                    }
                    case FileOutcome.Skipped s -> { }
                }
            }
            String known = prehashed.get(m);
            if (target.maybeExisting()) {
                String sha = known != null ? known : copier.hashSource(m.source(), this::read).sha256();
                sourceWorked();
                Path existing = planner.resolve(target.relative());
                if (copier.hashLibrary(existing).sha256().equals(sha)) {
                    // this file, imported before (an interrupted import); make sure the ledger knows it
                    Path rel = Path.of(target.relative());
                    if (!settings.dryRun() && ledgerKnows(sha).isEmpty()) {
                        try {
                            record(new ImportedFile(rel, m.size(), sha, lastModified(existing, m), settings.shoot(),
                                    i == 0 ? rel : groupPath, m.source()));
                        } catch (LedgerFailure e) {
                            e.placed = rel;
                            throw e;
                        }
                    }
                    return duplicate(m, rel, sha, true);
                }
                Planner.Target other = planner.another(target);
                warn(m.source(), "the name " + target.relative() + " holds a different file of the same size; "
                        + (settings.dryRun() ? "would be imported" : "imported") + " as " + other.relative());
                target = other;
                known = sha;
            }
            if (known != null && dedupe) {
                Optional<Path> there = ledgerKnows(known);
                if (there.isPresent()) {
                    return duplicate(m, there.get(), known, false);
                }
            }
            if (settings.dryRun()) {
                if (known == null && dedupe) {
                    Copier.Read r = copier.hashSource(m.source(), this::read);
                    sourceWorked();
                    jpegCheck(m, r);
                    Optional<Path> there = ledgerKnows(r.sha256());
                    if (there.isPresent()) {
                        return duplicate(m, there.get(), r.sha256(), false);
                    }
                }
                return new FileOutcome.Planned(m.source(), Path.of(target.relative()), m.size());
            }
            return copy(m, target, known, i == 0 ? null : groupPath, dedupe, copier);
        }

        private FileOutcome duplicate(AssetGroup.Member m, Path existing, String sha, boolean checked) {
            FileOutcome.Duplicate d = new FileOutcome.Duplicate(m.source(), existing, m.size(), sha);
            if (settings.eraseVerified()) {
                verified.add(new Verified(m, existing, sha, checked));
            }
            return d;
        }

        /** Copy, check, seal, read back, compare, rename, sync the folder, record. */
        private FileOutcome copy(AssetGroup.Member m, Planner.Target target, String known, Path groupPath,
                                 boolean dedupe, Copier copier) throws IOException {
            for (int attempt = 1; ; attempt++) {
                Copier.Written w = copier.copy(m.source(), staging.newTemp(), this::read);
                try {
                    sourceWorked();
                    Copier.Read r = w.read;
                    String changed = changed(m, r, known);
                    if (changed != null) {
                        w.abandon();
                        return new FileOutcome.Failed(m.source(), changed);
                    }
                    Optional<Path> there = dedupe ? ledgerKnows(r.sha256()) : Optional.empty();
                    if (there.isPresent()) {
                        w.abandon();
                        return duplicate(m, there.get(), r.sha256(), false);
                    }
                    w.seal(m.mtime());
                    Copier.Read back = copier.hashLibrary(w.temp);
                    if (!back.sha256().equals(r.sha256()) || back.size() != r.size()) {
                        w.abandon();
                        if (attempt < 2) {
                            continue;
                        }
                        return new FileOutcome.Failed(m.source(), "its copy read back differed from the source twice"
                                + " (a failing library disk, cable or memory?); no copy was kept");
                    }
                    jpegCheck(m, r);
                    // the time as the library's file system keeps it (FAT and exFAT round it), for later scans
                    java.time.Instant mtime = lastModified(w.temp, m);
                    Planner.Target placed = publish(w.temp, target, m);
                    Path rel = Path.of(placed.relative());
                    try {
                        record(new ImportedFile(rel, r.size(), r.sha256(), mtime, settings.shoot(),
                                groupPath == null ? rel : groupPath, m.source()));
                    } catch (LedgerFailure e) {
                        e.placed = rel;
                        throw e;
                    }
                    bytesCopied.addAndGet(r.size());
                    if (settings.eraseVerified()) {
                        verified.add(new Verified(m, rel, r.sha256(), true));
                    }
                    return new FileOutcome.Imported(m.source(), rel, r.size(), r.sha256());
                } catch (IOException | RuntimeException e) {
                    w.abandon();
                    throw e;
                }
            }
        }

        /** A library file's modification time as its file system reports it. */
        private java.time.Instant lastModified(Path file, AssetGroup.Member m) throws Copier.LibraryFailure {
            try {
                return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
            } catch (IOException e) {
                throw new Copier.LibraryFailure(e);
            }
        }

        /** Why the source file is not what was planned (it changed while being read), or null. */
        private String changed(AssetGroup.Member m, Copier.Read r, String known) {
            try {
                BasicFileAttributes a = Files.readAttributes(m.source(), BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (r.size() != m.size() || a.size() != m.size() || !a.lastModifiedTime().equals(m.mtime())
                        || (known != null && !known.equals(r.sha256()))) {
                    return "it changed while being imported (" + m.size() + " bytes when the import started, "
                            + r.size() + " read); import it again";
                }
                return null;
            } catch (IOException e) {
                return "it vanished while being imported (" + describe(e) + ")";
            }
        }

        private void jpegCheck(AssetGroup.Member m, Copier.Read r) {
            String e = m.ext().toLowerCase(java.util.Locale.ROOT);
            boolean said = warnings.stream().anyMatch(w -> w.path().equals(m.source()) && w.message().contains("truncated"));
            if ((e.equals("jpg") || e.equals("jpeg") || e.equals("jpe")) && !r.jpegEndMarker() && !said) {
                warn(m.source(), "this JPEG has no end-of-image marker: it is probably truncated (the camera or"
                        + " card failed while writing it); imported as it is");
            }
        }

        /**
         * Gives the verified temporary file its name without ever replacing a file: a hard link (which fails if the
         * name exists), or, where the file system has none (FAT, exFAT), a rename after a check under the import
         * lock. Then syncs the folder, so the name survives a power cut before the ledger hears of it.
         */
        private Planner.Target publish(Path temp, Planner.Target target, AssetGroup.Member m) throws IOException {
            Planner.Target t = target;
            while (true) {
                Path dest = planner.resolve(t.relative());
                try {
                    createFolders(dest.getParent());
                    try {
                        Files.createLink(dest, temp);
                        deleteQuietly(temp);
                    } catch (FileAlreadyExistsException e) {
                        throw e;
                    } catch (UnsupportedOperationException | FileSystemException e) {
                        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                            throw new FileAlreadyExistsException(dest.toString());
                        }
                        Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE);
                    }
                    syncFolder(dest.getParent());
                    return t;
                } catch (FileAlreadyExistsException e) {
                    Planner.Target other = planner.another(t);
                    warn(m.source(), "the name " + t.relative() + " was taken meanwhile; imported as "
                            + other.relative());
                    t = other;
                } catch (IOException e) {
                    throw new Copier.LibraryFailure(e);
                }
            }
        }

        /** Creates the missing folders of {@code dir} and syncs each new one's parent. */
        private void createFolders(Path dir) throws IOException {
            if (Files.isDirectory(dir)) {
                return;
            }
            List<Path> missing = new ArrayList<>();
            for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
                missing.add(0, p);
            }
            for (Path p : missing) {
                try {
                    Files.createDirectory(p);
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(p)) {
                        throw e;
                    }
                }
                syncFolder(p.getParent());
            }
        }

        /**
         * Stops the import because the ledger failed, saying why: a catalog on the library disk fails when that disk
         * is full or read-only, so the disk is tried before the catalog is blamed.
         */
        private void stopForLedger(LedgerFailure e) {
            String why = "the catalog could not be read or written: " + describe(e.getCause());
            if (staging != null) {
                try {
                    staging.probe();
                } catch (IOException disk) {
                    why = libraryProblem(settings.library(), disk) + " (the catalog could not be written either)";
                }
            }
            stop(why);
        }

        private Optional<Path> ledgerKnows(String sha) throws LedgerFailure {
            synchronized (ledgerLock) {
                try {
                    return ledger.knows(sha);
                } catch (IOException | RuntimeException e) {
                    throw new LedgerFailure(e);
                }
            }
        }

        private void record(ImportedFile f) throws LedgerFailure {
            synchronized (ledgerLock) {
                try {
                    ledger.recordImported(f);
                } catch (IOException | RuntimeException e) {
                    throw new LedgerFailure(e);
                }
            }
        }

        /** Deletes the source files whose verified copies are in the library; nothing else. */
        void erase() {
            Copier copier = copiers.get();
            List<Verified> list;
            synchronized (verified) {
                list = new ArrayList<>(verified);
            }
            for (Verified v : list) {
                AssetGroup.Member m = v.member();
                try {
                    Path copy = planner.resolve(v.libraryPath().toString().replace('\\', '/'));
                    BasicFileAttributes c = Files.readAttributes(copy, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (!c.isRegularFile() || c.size() != m.size()) {
                        warn(m.source(), "not erased: its copy " + v.libraryPath() + " is not in the library as verified");
                        continue;
                    }
                    if (!v.checked() && !copier.hashLibrary(copy).sha256().equals(v.sha256())) {
                        warn(m.source(), "not erased: its copy " + v.libraryPath() + " has other content");
                        continue;
                    }
                    BasicFileAttributes s = Files.readAttributes(m.source(), BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (s.size() != m.size() || !s.lastModifiedTime().equals(m.mtime())) {
                        warn(m.source(), "not erased: it changed since it was copied");
                        continue;
                    }
                    Files.delete(m.source());
                    erased.add(m.source());
                } catch (IOException e) {
                    warn(m.source(), "not erased: " + describe(e));
                }
            }
        }
    }

    /** A source file whose copy is in the library at {@code libraryPath} (checked: its content was compared). */
    private record Verified(AssetGroup.Member member, Path libraryPath, String sha256, boolean checked) {
    }

    /** The ledger failed: the import cannot go on without a record of what it did. */
    private static final class LedgerFailure extends IOException {
        /** Where the file being recorded already is in the library, if it got that far. */
        Path placed;

        LedgerFailure(Throwable cause) {
            super(cause);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover in the workspace: the next import's start deletes it
        }
    }

    /** Syncs a folder's entries to the disk (Linux, macOS); where folders cannot be opened, the rename must do. */
    static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported here (e.g. Windows); nothing more can be done
        }
    }
}
