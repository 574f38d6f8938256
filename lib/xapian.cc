/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the C face over Xapian (see include/silk/db.h).
 *
 * This is the only file that includes <xapian.h>. Every extern "C" function runs its body
 * through guard(), which turns any exception into a silk_status_t and keeps the message on
 * the handle, so no C++ exception ever unwinds into C code. */
#include "silk/db.h"

#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <xapian.h>

/* ---- handles ------------------------------------------------------------------------------- */

namespace
{

/* What identifies one file or folder on disk. A database folder renamed into place by
 * `silk-index --full` has a new inode; an edited stub file a new size or mtime. */
struct file_ident {
    dev_t dev;          /* device */
    ino_t ino;          /* inode */
    long long mtime_ns; /* modification time (stub files only; 0 for folders) */
    long long size;     /* size (stub files only; 0 for folders) */
    bool operator==(const file_ident &o) const
    {
        return dev == o.dev && ino == o.ino && mtime_ns == o.mtime_ns && size == o.size;
    }
    bool operator!=(const file_ident &o) const
    {
        return !(*this == o);
    }
};

/* One line of a stub file. */
struct stub_entry {
    /* auto, glass, remote HOST:PORT, remote :PROG, meta (silk's own: the metadata database) */
    enum kind_t { LOCAL, GLASS, TCP, PROG, META } kind;
    std::string where; /* path, host or program */
    std::string args;  /* program arguments (PROG) */
    unsigned port;     /* port (TCP) */
};

/* A database as opened from a path: the combined database, the same shards one by one
 * (for per-shard revisions), and the identities that tell whether a reopen must start
 * over from the path. */
struct opened_db {
    Xapian::Database db;                  /* every shard */
    std::vector<Xapian::Database> shards; /* the shards one by one (sharing db's internals) */
    std::vector<file_ident> ident;        /* identities of the path, stub and local shards */
    Xapian::Database meta;                /* a stub's `meta` database (spelling, synonyms) */
    bool has_meta = false;                /* the stub named one */
    bool has_remote = false;              /* a shard is remote (no match spy of our own) */
};

/* Where spelling, synonyms and metadata come from: the stub's metadata database when it
 * names one (a remote shard has none of them), else every shard. */
const Xapian::Database &aux_db(const opened_db &o)
{
    return o.has_meta ? o.meta : o.db;
}

} // namespace

struct silk_db {
    std::string path;       /* as given to silk_db_open(), re-resolved on reopen */
    silk_db_opts_t opts;    /* remote timeouts */
    opened_db cur;          /* the open database */
    std::string err;        /* message of the last failure */
    bool reconnect = false; /* a remote shard failed (a timeout): the next reopen connects
                               afresh rather than reuse the connection (see after_failure) */
};

struct silk_wdb {
    Xapian::WritableDatabase db; /* the writable database */
    bool explicit_txn;           /* inside silk_wdb_begin() .. commit/cancel */
    bool implicit_txn;           /* changes outside a transaction, held until commit */
    std::string err;             /* message of the last failure */
};

struct silk_doc {
    Xapian::Document doc; /* the document being built */
};

struct silk_query {
    Xapian::Query q;                    /* the (immutable, reference-counted) query tree */
    std::vector<std::string> wildcards; /* prefixes of the wildcards in q (for matching terms) */
};

struct silk_mset {
    Xapian::Database db;                /* keeps the shards alive while hits are read */
    Xapian::Enquire enq;                /* needed for the matching terms of a hit */
    Xapian::MSet mset;                  /* the hits */
    std::vector<std::string> data;      /* cached document data, by hit index */
    std::vector<char> have_data;        /* whether data[i] was fetched */
    std::vector<std::string> uniq;      /* cached unique terms, by hit index */
    std::vector<char> have_uniq;        /* whether uniq[i] was fetched */
    std::vector<std::string> wildcards; /* the query's wildcard prefixes */
    std::string err;                    /* message of the last failure */
    silk_db *owner = nullptr;           /* the handle searched (outlives the mset: db.h) */
    /* Facet counts and the deadline (silk_db_search_ex); see the section "facet counts,
     * time limits and trust of stub paths" below. */
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> counts; /* by count_slots index */
    std::unique_ptr<Xapian::MatchSpy> deadline;         /* the spy that stops the match */
    bool partial = false;                               /* the deadline stopped the match */
    std::vector<std::pair<Xapian::docid, double>> part; /* partial: the page's hits */
    Xapian::doccount part_first = 0;                    /* partial: rank of part[0] */
    uint64_t part_lo = 0, part_est = 0, part_hi = 0;    /* partial: bounds of the total */
    explicit silk_mset(const Xapian::Database &d) : db(d), enq(d) {}
};

struct silk_stemmer {
    Xapian::Stem stem; /* the Snowball stemmer */
};

/* ---- exceptions to statuses ---------------------------------------------------------------- */

namespace
{

/* Stores text() in *dst (dst may be NULL). Never throws: out of memory while storing the
 * message leaves an empty message, which is all we can do. */
template <typename F> void keep_text(std::string *dst, F &&text) noexcept
{
    if (dst == nullptr)
        return;
    try {
        *dst = text();
    } catch (...) {
        dst->clear();
    }
}

void keep_message(std::string *dst, const char *what) noexcept
{
    keep_text(dst, [&] { return std::string(what); });
}

/* The status of the Xapian::Error being handled; must be called from inside a catch block.
 * Xapian's exception classes have no virtual functions, so only a catch clause can tell
 * them apart. The most derived classes come first because a catch clause also takes
 * subclasses. */
silk_status_t status_of_xapian_error() noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseModifiedError &) {
        return SILK_ERR_MODIFIED;
    } catch (const Xapian::DatabaseLockError &) {
        return SILK_ERR_LOCKED;
    } catch (const Xapian::DatabaseCorruptError &) {
        return SILK_ERR_CORRUPT;
    } catch (const Xapian::DatabaseOpeningError &) {
        /* Also DatabaseNotFoundError and DatabaseVersionError: nothing usable is there. */
        return SILK_ERR_NOT_FOUND;
    } catch (const Xapian::DatabaseClosedError &) {
        return SILK_ERR_INVALID;
    } catch (const Xapian::DatabaseCreateError &) {
        return SILK_ERR_IO;
    } catch (const Xapian::DatabaseError &e) {
        /* A DatabaseError that carries an errno is a failed read or write. */
        return e.get_error_string() != nullptr ? SILK_ERR_IO : SILK_ERR_INTERNAL;
    } catch (const Xapian::AssertionError &) {
        return SILK_ERR_INTERNAL;
    } catch (const Xapian::LogicError &) {
        /* InvalidArgumentError, InvalidOperationError, UnimplementedError (e.g. a phrase
         * over subqueries that are not terms): the caller asked for
         * something that cannot be done. */
        return SILK_ERR_INVALID;
    } catch (const Xapian::DocNotFoundError &) {
        return SILK_ERR_NOT_FOUND;
    } catch (const Xapian::WildcardError &) {
        return SILK_ERR_TOO_BROAD;
    } catch (const Xapian::NetworkError &) {
        /* Also NetworkTimeoutError. */
        return SILK_ERR_NETWORK;
    } catch (...) {
        return SILK_ERR_INTERNAL;
    }
}

/* The timeouts of a handle's remote shards, for the message of a timeout (0: not known). */
struct remote_wait {
    unsigned reply_ms = 0, connect_ms = 0;
};

/* Maps the exception being handled to a status and keeps its message in *err (err may be
 * NULL). Must be called from inside a catch block. A remote shard's timeout says how long
 * it was waited for and which shard (Xapian's context). */
silk_status_t status_of_exception(std::string *err, remote_wait w = {}) noexcept
{
    try {
        throw;
    } catch (const Xapian::NetworkTimeoutError &e) {
        keep_text(err, [&] {
            std::string t = w.reply_ms == 0 ? std::string("in time")
                            : w.connect_ms == 0 || w.connect_ms == w.reply_ms
                                ? "within " + std::to_string(w.reply_ms) + " ms"
                                : "within its timeouts (" + std::to_string(w.connect_ms) +
                                      " ms to connect, " + std::to_string(w.reply_ms) +
                                      " ms to reply)";
            return "a remote shard did not answer " + t + " (" + e.get_msg() + ": " +
                   e.get_context() + ")";
        });
        return SILK_ERR_NETWORK;
    } catch (const Xapian::Error &e) {
        keep_text(err, [&] { return e.get_description(); });
        return status_of_xapian_error();
    } catch (const std::bad_alloc &) {
        keep_message(err, "out of memory");
        return SILK_ERR_NOMEM;
    } catch (const std::exception &e) {
        keep_message(err, e.what());
        return SILK_ERR_INTERNAL;
    } catch (...) {
        keep_message(err, "unknown exception");
        return SILK_ERR_INTERNAL;
    }
}

/* Runs body, a callable returning silk_status_t, turning any exception into a status with
 * the message in *err (err may be NULL); w as status_of_exception. */
template <typename F> silk_status_t guard(std::string *err, F &&body, remote_wait w = {}) noexcept
{
    try {
        return body();
    } catch (...) {
        return status_of_exception(err, w);
    }
}

/* A status with a message of our own (not from an exception). */
silk_status_t fail_with(std::string *err, silk_status_t st, const char *msg) noexcept
{
    keep_message(err, msg);
    return st;
}

/* A malloc'd NUL-terminated copy of s (which may hold NULs), or NULL when out of memory. */
char *dup_bytes(const std::string &s) noexcept
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (p == nullptr)
        return nullptr;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

/* ---- the shapes of the entry points -------------------------------------------------------- */

/* The per-exchange timeout of remote shards that opts give (db.h: 0 is 10000 ms). */
unsigned remote_timeout(const silk_db_opts_t &opts)
{
    return opts.remote_timeout_ms ? opts.remote_timeout_ms : 10000;
}

/* Both timeouts that opts give, for open_path and the messages of timeouts. */
remote_wait wait_of(const silk_db_opts_t &opts)
{
    remote_wait w;
    w.reply_ms = remote_timeout(opts);
    w.connect_ms = opts.connect_timeout_ms ? opts.connect_timeout_ms : 2000;
    return w;
}
/* What checked() adds for the handles of read-only databases and their msets: the
 * timeouts a timeout's message states, and the mark after a network failure. A remote
 * shard's connection after such a failure may still owe the reply to the request that
 * failed (a timeout: the shard is still matching, or stopped): Xapian 1.4's RemoteDatabase
 * keeps it pending and, before its next request, waits for it again (up to the timeout,
 * per request). So the handle is marked, and its next silk_db_reopen() connects afresh (a
 * new connection, served by a new xapian-tcpsrv child) instead of reusing that one. */
remote_wait timeout_of(const void *)
{
    return remote_wait{};
}
remote_wait timeout_of(const silk_db *db)
{
    return wait_of(db->opts);
}
remote_wait timeout_of(const silk_mset *m)
{
    return m->owner != nullptr ? timeout_of(m->owner) : remote_wait{};
}
void after_failure(const void *, silk_status_t) {}
void after_failure(silk_db *db, silk_status_t st)
{
    if (st == SILK_ERR_NETWORK && db->cur.has_remote)
        db->reconnect = true;
}
void after_failure(silk_mset *m, silk_status_t st)
{
    if (m->owner != nullptr)
        after_failure(m->owner, st);
}

/* Every function below that takes a handle with an `err` member (silk_db, silk_wdb,
 * silk_mset) has the same shape: a NULL handle is SILK_ERR_INVALID with nowhere to put a
 * message; an argument error (`bad`) is SILK_ERR_INVALID with `msg` kept on the handle;
 * otherwise the body runs under guard(), its exception message kept on the handle. */
template <typename H, typename F>
silk_status_t checked(H *h, bool bad, const char *msg, F &&body) noexcept
{
    if (h == nullptr)
        return SILK_ERR_INVALID;
    if (bad)
        return fail_with(&h->err, SILK_ERR_INVALID, msg);
    silk_status_t st = guard(&h->err, body, timeout_of(h));
    if (st != SILK_OK)
        after_failure(h, st);
    return st;
}

/* Stores get()'s result in *out: the shape of the counters and statistics. A NULL out is
 * SILK_ERR_INVALID without a message, like a NULL handle. */
template <typename H, typename T, typename G>
silk_status_t get_into(H *h, T *out, bool bad, const char *msg, G &&get) noexcept
{
    if (out == nullptr)
        return SILK_ERR_INVALID;
    return checked(h, bad, msg, [&] {
        *out = get();
        return SILK_OK;
    });
}

template <typename H, typename T, typename G> silk_status_t get_into(H *h, T *out, G &&get) noexcept
{
    return get_into(h, out, false, nullptr, get);
}

enum empty_string { EMPTY_IS_STRING, EMPTY_IS_NULL };

/* Stores a malloc'd copy of get()'s string in *out (NULL on any failure; with EMPTY_IS_NULL
 * also when the string is empty). */
template <typename H, typename G>
silk_status_t string_into(H *h, char **out, bool bad, const char *msg, empty_string empty,
                          G &&get) noexcept
{
    if (h == nullptr || out == nullptr)
        return SILK_ERR_INVALID;
    *out = nullptr;
    return checked(h, bad, msg, [&] {
        std::string s = get();
        if (s.empty() && empty == EMPTY_IS_NULL)
            return SILK_OK;
        *out = dup_bytes(s);
        return *out != nullptr ? SILK_OK : SILK_ERR_NOMEM;
    });
}

/* Calls cb with each term of [it, end) until it returns nonzero. */
silk_status_t each_term(Xapian::TermIterator it, const Xapian::TermIterator &end, silk_str_cb cb,
                        void *ud)
{
    for (; it != end; ++it) {
        const std::string t = *it;
        if (cb(t.data(), t.size(), ud) != 0)
            break;
    }
    return SILK_OK;
}

/* The shape of the constructors, which have no handle to keep a message on yet: `fn` names
 * the function in the messages of argument errors, `bad` is an extra argument error (NULL
 * when none), and make() returns the new object (held by a std::unique_ptr while it is
 * built, so that a throw frees it). On failure *out is NULL and, when msg is not NULL,
 * *msg gets a malloc'd copy of the message. */
template <typename T, typename F>
silk_status_t construct(const char *fn, const char *path, const char *bad, T **out, char **msg,
                        F &&make, remote_wait w = {}) noexcept
{
    if (msg != nullptr)
        *msg = nullptr;
    const char *why = out == nullptr                     ? "out is NULL"
                      : path == nullptr || *path == '\0' ? "empty path"
                                                         : bad;
    if (out != nullptr)
        *out = nullptr;
    std::string err;
    silk_status_t st = SILK_ERR_INVALID;
    if (why != nullptr)
        keep_text(&err, [&] { return std::string(fn) + ": " + why; });
    else
        st = guard(
            &err,
            [&] {
                *out = make();
                return SILK_OK;
            },
            w);
    if (st != SILK_OK && msg != nullptr)
        *msg = dup_bytes(err);
    return st;
}

/* ---- opening read-only databases ----------------------------------------------------------- */

/* stat() (following symlinks, so a symlink switched to a new folder counts as a change). */
bool ident_of(const std::string &path, bool with_contents, file_ident *out, int *err_no)
{
    struct stat sb;
    if (stat(path.c_str(), &sb) != 0) {
        *err_no = errno;
        return false;
    }
    out->dev = sb.st_dev;
    out->ino = sb.st_ino;
    out->mtime_ns =
        with_contents ? (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec : 0;
    out->size = with_contents ? (long long)sb.st_size : 0;
    return true;
}

bool file_exists(const std::string &path)
{
    struct stat sb;
    return stat(path.c_str(), &sb) == 0;
}

/* Whether a regular file is a text stub rather than a single-file glass database (which is
 * binary: its header holds NUL bytes). */
bool looks_like_stub(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    char buf[512];
    in.read(buf, sizeof buf);
    std::streamsize n = in.gcount();
    return std::memchr(buf, '\0', (size_t)n) == nullptr;
}

/* Parses a stub file in Xapian 1.4's format: `auto PATH`, `glass PATH` (relative to the
 * stub's folder), `remote HOST:PORT` (also `[IPv6]:PORT`), `remote :PROGRAM ARGS`; blank
 * lines and lines starting with `#` are ignored. We read it ourselves, rather than letting
 * Xapian open it, so that remote shards get our timeouts. */
std::vector<stub_entry> parse_stub(const std::string &file)
{
    std::ifstream in(file);
    if (!in)
        throw Xapian::DatabaseNotFoundError("Couldn't open stub database file: " + file, errno);
    std::string dir;
    std::string::size_type slash = file.rfind('/');
    if (slash != std::string::npos)
        dir.assign(file, 0, slash + 1);
    std::vector<stub_entry> out;
    std::string line;
    unsigned line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        std::string::size_type start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] == '#')
            continue;
        std::string::size_type space = line.find(' ', start);
        std::string type(line, start,
                         space == std::string::npos ? std::string::npos : space - start);
        std::string rest;
        if (space != std::string::npos) {
            std::string::size_type a = line.find_first_not_of(" \t", space);
            if (a != std::string::npos)
                rest.assign(line, a, std::string::npos);
        }
        while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t'))
            rest.pop_back();
        stub_entry e{stub_entry::LOCAL, std::string(), std::string(), 0};
        bool ok = false;
        if ((type == "auto" || type == "glass" || type == "meta") && !rest.empty()) {
            e.kind = type == "auto"    ? stub_entry::LOCAL
                     : type == "glass" ? stub_entry::GLASS
                                       : stub_entry::META;
            e.where = rest[0] == '/' ? rest : dir + rest;
            ok = true;
        } else if (type == "remote" && !rest.empty()) {
            if (rest[0] == ':') {
                std::string::size_type sp = rest.find(' ');
                e.kind = stub_entry::PROG;
                if (sp == std::string::npos) {
                    e.where.assign(rest, 1, std::string::npos);
                } else {
                    e.where.assign(rest, 1, sp - 1);
                    e.args.assign(rest, sp + 1, std::string::npos);
                }
                ok = !e.where.empty();
            } else {
                std::string::size_type colon = rest.rfind(':');
                if (colon != std::string::npos && colon + 1 < rest.size() &&
                    !(rest[0] == '[' && rest.back() == ']')) {
                    char *end = nullptr;
                    unsigned long port = std::strtoul(rest.c_str() + colon + 1, &end, 10);
                    std::string host(rest, 0, colon);
                    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
                        host = host.substr(1, host.size() - 2);
                    if (*end == '\0' && port > 0 && port < 65536 && !host.empty()) {
                        e.kind = stub_entry::TCP;
                        e.where = host;
                        e.port = (unsigned)port;
                        ok = true;
                    }
                }
            }
        }
        if (!ok)
            throw Xapian::DatabaseOpeningError(file + ":" + std::to_string(line_no) + ": Bad line");
        out.push_back(std::move(e));
    }
    return out;
}

/* The identities a reopen compares: the path itself and, for a stub, each local shard. */
bool collect_idents(const std::string &path, std::vector<file_ident> *out, int *err_no,
                    std::string *stub_file)
{
    struct stat sb;
    if (stat(path.c_str(), &sb) != 0) {
        *err_no = errno;
        return false;
    }
    out->clear();
    stub_file->clear();
    if (S_ISDIR(sb.st_mode)) {
        /* A stub folder (XAPIANDB inside, no database of its own) is read as a stub file. */
        if (!file_exists(path + "/iamglass") && !file_exists(path + "/iamchert") &&
            file_exists(path + "/XAPIANDB"))
            *stub_file = path + "/XAPIANDB";
    } else if (S_ISREG(sb.st_mode) && looks_like_stub(path)) {
        *stub_file = path;
    }
    file_ident id;
    if (!ident_of(path, false, &id, err_no))
        return false;
    out->push_back(id);
    if (stub_file->empty()) {
        /* Glass's version file, with its size and time: files copied over the index in place
         * (a restore) keep the folder's inode, and Xapian's reopen() may keep reading the
         * tables it has open (stale answers, or DatabaseCorruptError on every search). */
        if (file_exists(path + "/iamglass") && ident_of(path + "/iamglass", true, &id, err_no))
            out->push_back(id);
        return true;
    }
    if (!ident_of(*stub_file, true, &id, err_no))
        return false;
    out->push_back(id);
    for (const stub_entry &e : parse_stub(*stub_file)) {
        if (e.kind != stub_entry::LOCAL && e.kind != stub_entry::GLASS &&
            e.kind != stub_entry::META)
            continue;
        /* A shard that vanished shows up as an identity that differs from any real one. */
        if (!ident_of(e.where, false, &id, err_no))
            id = file_ident{0, 0, 0, 0};
        out->push_back(id);
    }
    return true;
}

/* Opens a local database: the path itself, or an `auto`/`meta` line of a stub. Xapian's
 * auto backend would read a stub file found there with its own reader, which runs the
 * program of a `remote :PROGRAM` line; so the backend is always named here (glass, or
 * chert when that is what the folder holds), and a stub there fails to open. */
Xapian::Database open_local(const std::string &path)
{
    struct stat sb;
    if (stat(path.c_str(), &sb) == 0 && S_ISDIR(sb.st_mode) && !file_exists(path + "/iamglass") &&
        file_exists(path + "/iamchert"))
        return Xapian::Database(path, Xapian::DB_BACKEND_CHERT);
    return Xapian::Database(path, Xapian::DB_BACKEND_GLASS);
}

void check_paths(const std::string &path, const std::string &stub, const silk_db_opts_t &opts);

opened_db open_path(const std::string &path, const silk_db_opts_t &opts)
{
    opened_db o;
    std::string stub;
    int err_no = 0;
    if (!collect_idents(path, &o.ident, &err_no, &stub)) {
        throw Xapian::DatabaseNotFoundError("Couldn't open database '" + path + "'", err_no);
    }
    check_paths(path, stub, opts);
    if (stub.empty()) {
        o.shards.push_back(open_local(path));
    } else {
        remote_wait w = wait_of(opts);
        unsigned timeout = w.reply_ms, connect = w.connect_ms;
        for (const stub_entry &e : parse_stub(stub)) {
            switch (e.kind) {
            case stub_entry::LOCAL:
                o.shards.push_back(open_local(e.where));
                break;
            case stub_entry::GLASS:
                o.shards.push_back(Xapian::Database(e.where, Xapian::DB_BACKEND_GLASS));
                break;
            case stub_entry::TCP:
                o.shards.push_back(Xapian::Remote::open(e.where, e.port, timeout, connect));
                o.has_remote = true;
                break;
            case stub_entry::PROG:
                /* Whoever can write the stub would choose the program: only the operator
                 * may ask for that (silkd --allow-remote-programs). */
                if (!opts.allow_programs)
                    throw Xapian::InvalidArgumentError(
                        stub + ": refusing to run the program '" + e.where +
                        "' named by a `remote :PROGRAM` line (an index file must not choose "
                        "a program for silk to run; silkd --allow-remote-programs allows it)");
                o.shards.push_back(Xapian::Remote::open(e.where, e.args, timeout));
                o.has_remote = true;
                break;
            case stub_entry::META:
                if (o.has_meta)
                    throw Xapian::DatabaseOpeningError(stub + ": more than one meta line");
                o.meta = open_local(e.where);
                o.has_meta = true;
                break;
            }
        }
        if (o.shards.empty())
            throw Xapian::DatabaseOpeningError(stub + ": No databases listed");
    }
    for (const Xapian::Database &s : o.shards)
        o.db.add_database(s);
    return o;
}

/* Sum of the shards' revisions; *known is false when a shard (a remote one) cannot tell. */
uint64_t revision_sum(const opened_db &o, bool *known)
{
    uint64_t sum = 0;
    *known = true;
    for (const Xapian::Database &s : o.shards) {
        try {
            sum += s.get_revision();
        } catch (const Xapian::Error &) {
            *known = false;
        }
    }
    /* The metadata database counts too, so that a new synonym table is a new revision. */
    if (o.has_meta)
        sum += o.meta.get_revision();
    return sum;
}

} // namespace

/* ---- read-only databases ------------------------------------------------------------------- */

extern "C" silk_status_t silk_db_open(const char *path, const silk_db_opts_t *opts, silk_db_t **out,
                                      char **msg)
{
    silk_db_opts_t o = opts != nullptr ? *opts : silk_db_opts_t{};
    return construct(
        "silk_db_open", path, nullptr, out, msg,
        [&] {
            std::unique_ptr<silk_db> db(new silk_db());
            db->path = path;
            db->opts = o;
            db->cur = open_path(db->path, db->opts);
            return db.release();
        },
        wait_of(o));
}

extern "C" silk_status_t silk_db_reopen(silk_db_t *db, int *changed)
{
    if (changed != nullptr)
        *changed = 0;
    return checked(db, false, nullptr, [&] {
        std::vector<file_ident> now;
        std::string stub;
        int err_no = 0;
        if (!collect_idents(db->path, &now, &err_no, &stub))
            throw Xapian::DatabaseNotFoundError("Couldn't reopen database '" + db->path + "'",
                                                err_no);
        check_paths(db->path, stub, db->opts);
        /* After a remote shard's failure, never through the connection that failed. */
        bool fresh = now != db->cur.ident || db->reconnect;
        bool known_before = false, known_after = false, maybe = false;
        uint64_t before = 0, after = 0;
        if (!fresh) {
            before = revision_sum(db->cur, &known_before);
            try {
                std::string uuid = db->cur.db.get_uuid();
                maybe = db->cur.db.reopen();
                if (db->cur.has_meta)
                    maybe = db->cur.meta.reopen() || maybe;
                /* Another database at the same revision (a different index put in its
                 * place): the revision alone cannot tell, its UUID does. */
                if (db->cur.db.get_uuid() != uuid)
                    fresh = true;
            } catch (const Xapian::Error &) {
                /* The files changed in a way reopen() cannot follow: start over below. */
                fresh = true;
            }
            /* The folder may have been replaced while reopen() was reading it. */
            std::vector<file_ident> again;
            if (!fresh &&
                (!collect_idents(db->path, &again, &err_no, &stub) || again != db->cur.ident))
                fresh = true;
        }
        if (fresh) {
            /* Open the new database before dropping the old one, so that a failure leaves
             * the reader serving what it had. */
            opened_db o = open_path(db->path, db->opts);
            db->cur = std::move(o);
            db->reconnect = false;
            if (changed != nullptr)
                *changed = 1;
            return SILK_OK;
        }
        after = revision_sum(db->cur, &known_after);
        if (changed != nullptr)
            *changed = (known_before && known_after) ? before != after : maybe;
        return SILK_OK;
    });
}

extern "C" const char *silk_db_error(const silk_db_t *db)
{
    return db != nullptr ? db->err.c_str() : "";
}

extern "C" silk_status_t silk_db_revision(silk_db_t *db, uint64_t *rev)
{
    bool known;
    return get_into(db, rev, [&] { return revision_sum(db->cur, &known); });
}

extern "C" silk_status_t silk_db_doc_count(silk_db_t *db, uint64_t *count)
{
    return get_into(db, count, [&] { return db->cur.db.get_doccount(); });
}

extern "C" silk_status_t silk_db_avg_length(silk_db_t *db, double *avg)
{
    return get_into(db, avg, [&] { return db->cur.db.get_avlength(); });
}

extern "C" silk_status_t silk_db_term_freq(silk_db_t *db, const char *term, uint64_t *freq)
{
    return get_into(db, freq, term == nullptr, "silk_db_term_freq: term is NULL",
                    [&] { return db->cur.db.get_termfreq(term); });
}

extern "C" silk_status_t silk_db_allterms(silk_db_t *db, const char *prefix, silk_str_cb cb,
                                          void *ud)
{
    return checked(db, cb == nullptr, "silk_db_allterms: callback is NULL", [&] {
        const std::string pfx = prefix != nullptr ? prefix : "";
        return each_term(db->cur.db.allterms_begin(pfx), db->cur.db.allterms_end(pfx), cb, ud);
    });
}

extern "C" silk_status_t silk_db_metadata(silk_db_t *db, const char *key, char **value)
{
    return string_into(db, value, key == nullptr || *key == '\0', "silk_db_metadata: empty key",
                       EMPTY_IS_STRING, [&] { return aux_db(db->cur).get_metadata(key); });
}

extern "C" silk_status_t silk_db_spelling(silk_db_t *db, const char *word, unsigned max_edit,
                                          char **out)
{
    return string_into(db, out, word == nullptr, "silk_db_spelling: word is NULL", EMPTY_IS_NULL,
                       [&] { return aux_db(db->cur).get_spelling_suggestion(word, max_edit); });
}

extern "C" silk_status_t silk_db_synonyms(silk_db_t *db, const char *term, silk_str_cb cb, void *ud)
{
    return checked(db, term == nullptr || cb == nullptr, "silk_db_synonyms: NULL argument", [&] {
        const std::string t = term;
        const Xapian::Database &a = aux_db(db->cur);
        return each_term(a.synonyms_begin(t), a.synonyms_end(t), cb, ud);
    });
}

extern "C" silk_status_t silk_db_synonym_keys(silk_db_t *db, silk_str_cb cb, void *ud)
{
    return checked(db, cb == nullptr, "silk_db_synonym_keys: callback is NULL", [&] {
        const Xapian::Database &a = aux_db(db->cur);
        return each_term(a.synonym_keys_begin(), a.synonym_keys_end(), cb, ud);
    });
}

extern "C" silk_status_t silk_db_spellings(silk_db_t *db, silk_spelling_cb cb, void *ud)
{
    return checked(db, cb == nullptr, "silk_db_spellings: callback is NULL", [&] {
        const Xapian::Database &a = aux_db(db->cur);
        for (auto it = a.spellings_begin(); it != a.spellings_end(); ++it) {
            const std::string w = *it;
            if (cb(w.data(), w.size(), it.get_termfreq(), ud) != 0)
                break;
        }
        return SILK_OK;
    });
}

namespace
{

/* The document indexed by the unique term uniq into *did; SILK_ERR_NOT_FOUND (the message
 * on db) when there is none. */
silk_status_t doc_of_unique_term(silk_db *db, const char *uniq, Xapian::docid *did)
{
    const std::string t = uniq;
    Xapian::PostingIterator p = db->cur.db.postlist_begin(t);
    if (p == db->cur.db.postlist_end(t))
        return fail_with(&db->err, SILK_ERR_NOT_FOUND, "no document has that unique term");
    *did = *p;
    return SILK_OK;
}

} // namespace

extern "C" silk_status_t silk_db_document_data(silk_db_t *db, const char *uniq, char **data,
                                               size_t *len)
{
    if (db == nullptr || data == nullptr)
        return SILK_ERR_INVALID;
    *data = nullptr;
    if (len != nullptr)
        *len = 0;
    return checked(db, uniq == nullptr || *uniq == '\0', "silk_db_document_data: empty term", [&] {
        Xapian::docid did;
        silk_status_t st = doc_of_unique_term(db, uniq, &did);
        if (st != SILK_OK)
            return st;
        std::string d = db->cur.db.get_document(did).get_data();
        *data = dup_bytes(d);
        if (*data == nullptr)
            return SILK_ERR_NOMEM;
        if (len != nullptr)
            *len = d.size();
        return SILK_OK;
    });
}

extern "C" silk_status_t silk_db_document_terms(silk_db_t *db, const char *uniq, silk_str_cb cb,
                                                void *ud)
{
    return checked(db, uniq == nullptr || *uniq == '\0' || cb == nullptr,
                   "silk_db_document_terms: bad argument", [&] {
                       Xapian::docid did;
                       silk_status_t st = doc_of_unique_term(db, uniq, &did);
                       if (st != SILK_OK)
                           return st;
                       return each_term(db->cur.db.termlist_begin(did),
                                        db->cur.db.termlist_end(did), cb, ud);
                   });
}

extern "C" void silk_db_destroy(silk_db_t *db)
{
    if (db == nullptr)
        return;
    try {
        delete db;
    } catch (...) {
        /* Destructors of Xapian handles do not throw; nothing more to do. */
    }
}

/* ---- writable databases -------------------------------------------------------------------- */

namespace
{

/* Changes outside an explicit transaction are held in a transaction of our own, so that
 * silk_wdb_destroy() can drop them (Xapian would commit them on close) and so that a
 * reader never sees a half-done batch that Xapian auto-flushed. */
void ensure_txn(silk_wdb *w)
{
    if (!w->explicit_txn && !w->implicit_txn) {
        w->db.begin_transaction(true);
        w->implicit_txn = true;
    }
}

void commit_implicit(silk_wdb *w)
{
    if (w->implicit_txn) {
        /* Xapian ends the transaction even when the commit fails. */
        w->implicit_txn = false;
        w->db.commit_transaction();
    }
}

/* The shape of the transaction calls: each is allowed only inside an explicit transaction
 * (in_txn true) or only outside one; otherwise SILK_ERR_INVALID with msg. */
template <typename F>
silk_status_t txn_step(silk_wdb *w, bool in_txn, const char *msg, F &&step) noexcept
{
    return checked(w, w != nullptr && w->explicit_txn != in_txn, msg, [&] {
        step();
        return SILK_OK;
    });
}

/* The shape of the changes: held in the implicit transaction unless an explicit one is open
 * (see ensure_txn()). */
template <typename F>
silk_status_t change(silk_wdb *w, bool bad, const char *msg, F &&edit) noexcept
{
    return checked(w, bad, msg, [&] {
        ensure_txn(w);
        edit();
        return SILK_OK;
    });
}

} // namespace

extern "C" silk_status_t silk_wdb_open(const char *path, int flags, silk_wdb_t **out, char **msg)
{
    const char *bad = (flags & ~(SILK_WDB_OVERWRITE | SILK_WDB_RETRY_LOCK | SILK_WDB_NO_SYNC)) != 0
                          ? "unknown flags"
                          : nullptr;
    return construct("silk_wdb_open", path, bad, out, msg, [&] {
        int xf = (flags & SILK_WDB_OVERWRITE) ? Xapian::DB_CREATE_OR_OVERWRITE
                                              : Xapian::DB_CREATE_OR_OPEN;
        if (flags & SILK_WDB_RETRY_LOCK)
            xf |= Xapian::DB_RETRY_LOCK;
        if (flags & SILK_WDB_NO_SYNC)
            xf |= Xapian::DB_NO_SYNC;
        /* Always glass (chert for an old chert folder): Xapian's auto backend would open
         * a stub file at the path, and run the program its `remote :PROGRAM` line names. */
        std::string iamglass = std::string(path) + "/iamglass";
        if (!file_exists(iamglass) && file_exists(std::string(path) + "/iamchert"))
            xf |= Xapian::DB_BACKEND_CHERT;
        else
            xf |= Xapian::DB_BACKEND_GLASS;
        return new silk_wdb{Xapian::WritableDatabase(path, xf), false, false, std::string()};
    });
}

extern "C" const char *silk_wdb_error(const silk_wdb_t *wdb)
{
    return wdb != nullptr ? wdb->err.c_str() : "";
}

extern "C" silk_status_t silk_wdb_begin(silk_wdb_t *wdb)
{
    return txn_step(wdb, false, "a transaction is already open", [&] {
        /* As Xapian does, changes made before the transaction are committed first. */
        commit_implicit(wdb);
        wdb->db.begin_transaction(true);
        wdb->explicit_txn = true;
    });
}

extern "C" silk_status_t silk_wdb_commit_transaction(silk_wdb_t *wdb)
{
    return txn_step(wdb, true, "no transaction is open", [&] {
        wdb->explicit_txn = false;
        wdb->db.commit_transaction();
    });
}

extern "C" silk_status_t silk_wdb_cancel(silk_wdb_t *wdb)
{
    return txn_step(wdb, true, "no transaction is open", [&] {
        wdb->explicit_txn = false;
        wdb->db.cancel_transaction();
    });
}

extern "C" silk_status_t silk_wdb_commit(silk_wdb_t *wdb)
{
    return txn_step(wdb, false, "inside a transaction: use silk_wdb_commit_transaction()",
                    [&] { commit_implicit(wdb); });
}

extern "C" silk_status_t silk_wdb_replace(silk_wdb_t *wdb, const char *uniq, const silk_doc_t *doc)
{
    return change(wdb, uniq == nullptr || *uniq == '\0' || doc == nullptr,
                  "silk_wdb_replace: bad argument",
                  [&] { wdb->db.replace_document(std::string(uniq), doc->doc); });
}

extern "C" silk_status_t silk_wdb_add(silk_wdb_t *wdb, const silk_doc_t *doc)
{
    return change(wdb, doc == nullptr, "silk_wdb_add: no document",
                  [&] { wdb->db.add_document(doc->doc); });
}

extern "C" silk_status_t silk_wdb_delete(silk_wdb_t *wdb, const char *uniq)
{
    return change(wdb, uniq == nullptr || *uniq == '\0', "silk_wdb_delete: empty term",
                  [&] { wdb->db.delete_document(std::string(uniq)); });
}

extern "C" silk_status_t silk_wdb_doc_count(silk_wdb_t *wdb, uint64_t *count)
{
    return get_into(wdb, count, [&] { return wdb->db.get_doccount(); });
}

extern "C" silk_status_t silk_wdb_revision(silk_wdb_t *wdb, uint64_t *rev)
{
    return get_into(wdb, rev, [&] { return wdb->db.get_revision(); });
}

extern "C" silk_status_t silk_wdb_term_freq(silk_wdb_t *wdb, const char *term, uint64_t *freq)
{
    return get_into(wdb, freq, term == nullptr, "silk_wdb_term_freq: term is NULL",
                    [&] { return wdb->db.get_termfreq(term); });
}

extern "C" silk_status_t silk_wdb_get_metadata(silk_wdb_t *wdb, const char *key, char **value)
{
    return string_into(wdb, value, key == nullptr || *key == '\0',
                       "silk_wdb_get_metadata: empty key", EMPTY_IS_STRING,
                       [&] { return wdb->db.get_metadata(key); });
}

extern "C" silk_status_t silk_wdb_set_metadata(silk_wdb_t *wdb, const char *key, const char *value)
{
    return change(wdb, key == nullptr || *key == '\0' || value == nullptr,
                  "silk_wdb_set_metadata: bad argument", [&] { wdb->db.set_metadata(key, value); });
}

extern "C" silk_status_t silk_wdb_metadata_keys(silk_wdb_t *wdb, const char *prefix, silk_str_cb cb,
                                                void *ud)
{
    return checked(wdb, cb == nullptr, "silk_wdb_metadata_keys: callback is NULL", [&] {
        const std::string pfx = prefix != nullptr ? prefix : "";
        return each_term(wdb->db.metadata_keys_begin(pfx), wdb->db.metadata_keys_end(pfx), cb, ud);
    });
}

extern "C" silk_status_t silk_db_compact(const char *const *srcs, size_t n, const char *dest,
                                         char **msg)
{
    if (msg != nullptr)
        *msg = nullptr;
    std::string err;
    silk_status_t st = guard(&err, [&] {
        if (srcs == nullptr || n == 0 || dest == nullptr || *dest == '\0')
            return fail_with(&err, SILK_ERR_INVALID, "silk_db_compact: bad argument");
        Xapian::Database all;
        for (size_t i = 0; i < n; i++)
            all.add_database(Xapian::Database(srcs[i], Xapian::DB_BACKEND_GLASS));
        all.compact(dest, Xapian::DB_BACKEND_GLASS);
        return SILK_OK;
    });
    if (st != SILK_OK && msg != nullptr)
        *msg = dup_bytes(err.empty() ? std::string(silk_status_to_string(st)) : err);
    return st;
}

extern "C" silk_status_t silk_wdb_add_spelling(silk_wdb_t *wdb, const char *word, unsigned inc)
{
    return change(wdb, word == nullptr || *word == '\0', "silk_wdb_add_spelling: empty word",
                  [&] { wdb->db.add_spelling(word, inc); });
}

extern "C" silk_status_t silk_wdb_remove_spelling(silk_wdb_t *wdb, const char *word, unsigned dec)
{
    return change(wdb, word == nullptr || *word == '\0', "silk_wdb_remove_spelling: empty word",
                  [&] { wdb->db.remove_spelling(word, dec); });
}

extern "C" silk_status_t silk_wdb_add_synonym(silk_wdb_t *wdb, const char *term,
                                              const char *synonym)
{
    return change(wdb, term == nullptr || *term == '\0' || synonym == nullptr || *synonym == '\0',
                  "silk_wdb_add_synonym: empty argument",
                  [&] { wdb->db.add_synonym(term, synonym); });
}

extern "C" silk_status_t silk_wdb_clear_synonyms(silk_wdb_t *wdb, const char *term)
{
    return change(wdb, term == nullptr || *term == '\0', "silk_wdb_clear_synonyms: empty term",
                  [&] { wdb->db.clear_synonyms(term); });
}

extern "C" silk_status_t silk_wdb_clear_all_synonyms(silk_wdb_t *wdb)
{
    return checked(wdb, false, nullptr, [&] {
        /* Collect the keys first: clearing while iterating would invalidate the iterator. */
        std::vector<std::string> keys;
        for (auto it = wdb->db.synonym_keys_begin(); it != wdb->db.synonym_keys_end(); ++it)
            keys.push_back(*it);
        ensure_txn(wdb);
        for (const std::string &k : keys)
            wdb->db.clear_synonyms(k);
        return SILK_OK;
    });
}

extern "C" void silk_wdb_destroy(silk_wdb_t *wdb)
{
    if (wdb == nullptr)
        return;
    try {
        /* Xapian would commit changes outside a transaction on close; ours live in a
         * transaction, and cancelling it drops them as the header promises. */
        if (wdb->explicit_txn || wdb->implicit_txn)
            wdb->db.cancel_transaction();
    } catch (...) {
        /* The database is being closed anyway; there is nobody to tell. */
    }
    try {
        wdb->db.close();
    } catch (...) {
    }
    delete wdb;
}

/* ---- documents ----------------------------------------------------------------------------- */

namespace
{

/* The shape of the document setters: a NULL document or a bad argument is SILK_ERR_INVALID
 * (a document has no message of its own). */
template <typename F> silk_status_t edit_doc(silk_doc *doc, bool bad, F &&edit) noexcept
{
    if (doc == nullptr || bad)
        return SILK_ERR_INVALID;
    return guard(nullptr, [&] {
        edit(doc->doc);
        return SILK_OK;
    });
}

} // namespace

extern "C" silk_doc_t *silk_doc_new(void)
{
    try {
        return new silk_doc();
    } catch (...) {
        return nullptr;
    }
}

extern "C" silk_status_t silk_doc_add_posting(silk_doc_t *doc, const char *term, size_t len,
                                              uint32_t pos, unsigned wdf_inc)
{
    return edit_doc(doc, term == nullptr || len == 0, [&](Xapian::Document &d) {
        d.add_posting(std::string(term, len), pos, wdf_inc);
    });
}

extern "C" silk_status_t silk_doc_add_term(silk_doc_t *doc, const char *term, size_t len,
                                           unsigned wdf_inc)
{
    return edit_doc(doc, term == nullptr || len == 0,
                    [&](Xapian::Document &d) { d.add_term(std::string(term, len), wdf_inc); });
}

extern "C" silk_status_t silk_doc_add_boolean_term(silk_doc_t *doc, const char *term, size_t len)
{
    return edit_doc(doc, term == nullptr || len == 0,
                    [&](Xapian::Document &d) { d.add_boolean_term(std::string(term, len)); });
}

extern "C" silk_status_t silk_doc_set_data(silk_doc_t *doc, const char *data, size_t len)
{
    return edit_doc(doc, data == nullptr && len != 0, [&](Xapian::Document &d) {
        d.set_data(len != 0 ? std::string(data, len) : std::string());
    });
}

extern "C" silk_status_t silk_doc_add_value(silk_doc_t *doc, unsigned slot, double value)
{
    return edit_doc(
        doc, slot == Xapian::BAD_VALUENO || std::isnan(value),
        [&](Xapian::Document &d) { d.add_value(slot, Xapian::sortable_serialise(value)); });
}

extern "C" void silk_doc_destroy(silk_doc_t *doc)
{
    delete doc;
}

/* ---- queries ------------------------------------------------------------------------------- */

namespace
{

/* The shape of the constructors that have no message to give (queries, stemmers): a NULL
 * out or a bad argument is SILK_ERR_INVALID; *out is NULL on any failure. make() returns
 * the new object. */
template <typename T, typename F> silk_status_t make_into(T **out, bool bad, F &&make) noexcept
{
    if (out == nullptr)
        return SILK_ERR_INVALID;
    *out = nullptr;
    if (bad)
        return SILK_ERR_INVALID;
    return guard(nullptr, [&] {
        *out = make();
        return SILK_OK;
    });
}

silk_query *new_query(Xapian::Query q, std::vector<std::string> wildcards = {})
{
    return new silk_query{std::move(q), std::move(wildcards)};
}

/* Xapian's operator for each silk_op_t, in the enum's order. */
const Xapian::Query::op xapian_ops[] = {
    Xapian::Query::OP_AND,    Xapian::Query::OP_OR,        Xapian::Query::OP_AND_NOT,
    Xapian::Query::OP_FILTER, Xapian::Query::OP_AND_MAYBE, Xapian::Query::OP_SYNONYM,
    Xapian::Query::OP_PHRASE, Xapian::Query::OP_NEAR,      Xapian::Query::OP_ELITE_SET,
    Xapian::Query::OP_MAX,
};
static_assert(sizeof xapian_ops / sizeof xapian_ops[0] == SILK_OP_MAX + 1,
              "one Xapian operator per silk_op_t");

} // namespace

extern "C" silk_status_t silk_query_term(const char *term, size_t len, unsigned wqf, uint32_t pos,
                                         silk_query_t **out)
{
    /* Xapian reads an empty term as "match everything"; say so with match_all instead. */
    return make_into(out, term == nullptr || len == 0,
                     [&] { return new_query(Xapian::Query(std::string(term, len), wqf, pos)); });
}

extern "C" silk_status_t silk_query_combine(silk_op_t op, silk_query_t *const *subs, size_t n,
                                            unsigned window, silk_query_t **out)
{
    /* C callers may pass any int: read it as one, since loading an out-of-range value as
     * the enum type is undefined in C++ (UBSan's -fsanitize=enum reports it). */
    std::underlying_type<silk_op_t>::type raw;
    std::memcpy(&raw, &op, sizeof raw);
    bool bad = (subs == nullptr && n != 0) || static_cast<unsigned long long>(raw) > SILK_OP_MAX;
    for (size_t i = 0; !bad && i < n; i++)
        bad = subs[i] == nullptr;
    return make_into(out, bad, [&] {
        std::vector<Xapian::Query> v;
        std::vector<std::string> wild;
        v.reserve(n);
        for (size_t i = 0; i < n; i++) {
            v.push_back(subs[i]->q);
            for (const std::string &w : subs[i]->wildcards)
                if (std::find(wild.begin(), wild.end(), w) == wild.end())
                    wild.push_back(w);
        }
        /* Xapian treats an empty list as MatchNothing, whatever the operator. */
        return new_query(Xapian::Query(xapian_ops[raw], v.begin(), v.end(), window),
                         std::move(wild));
    });
}

extern "C" silk_status_t silk_query_scale(const silk_query_t *q, double factor, silk_query_t **out)
{
    return make_into(out, q == nullptr || !(factor >= 0) || std::isinf(factor), [&] {
        return new_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor), q->wildcards);
    });
}

extern "C" silk_status_t silk_query_wildcard(const char *prefix, unsigned max_expansion,
                                             silk_query_t **out)
{
    return make_into(out, prefix == nullptr, [&] {
        return new_query(Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(prefix),
                                       max_expansion, Xapian::Query::WILDCARD_LIMIT_ERROR,
                                       Xapian::Query::OP_SYNONYM),
                         std::vector<std::string>{prefix});
    });
}

extern "C" silk_status_t silk_query_value_range(unsigned slot, int has_lo, double lo, int has_hi,
                                                double hi, silk_query_t **out)
{
    bool bad =
        slot == Xapian::BAD_VALUENO || (has_lo && std::isnan(lo)) || (has_hi && std::isnan(hi));
    return make_into(out, bad, [&] {
        std::string from = has_lo ? Xapian::sortable_serialise(lo) : std::string();
        if (has_hi && has_lo)
            return new_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, from,
                                           Xapian::sortable_serialise(hi)));
        if (has_hi)
            return new_query(
                Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, Xapian::sortable_serialise(hi)));
        /* Only the lower end, or both ends open: every document whose value is at least lo
         * (with no lo, every document that has a value in the slot). */
        return new_query(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, from));
    });
}

extern "C" silk_status_t silk_query_match_all(silk_query_t **out)
{
    return make_into(out, false, [&] { return new_query(Xapian::Query::MatchAll); });
}

extern "C" silk_status_t silk_query_match_nothing(silk_query_t **out)
{
    return make_into(out, false, [&] { return new_query(Xapian::Query::MatchNothing); });
}

extern "C" char *silk_query_describe(const silk_query_t *q)
{
    if (q == nullptr)
        return nullptr;
    try {
        return dup_bytes(q->q.get_description());
    } catch (...) {
        return nullptr;
    }
}

extern "C" size_t silk_query_length(const silk_query_t *q)
{
    if (q == nullptr)
        return 0;
    try {
        return q->q.get_length();
    } catch (...) {
        return 0;
    }
}

extern "C" void silk_query_destroy(silk_query_t *q)
{
    delete q;
}

/* ---- searching ----------------------------------------------------------------------------- */

extern "C" void silk_search_opts_init(silk_search_opts_t *opts)
{
    if (opts == nullptr)
        return;
    opts->k1 = 1.2;
    opts->k2 = 0;
    opts->k3 = 1;
    opts->b = 0.5;
    opts->min_normlen = 0.5;
    opts->offset = 0;
    opts->limit = 10;
    opts->check_at_least = 0;
    opts->sort_slot = -1;
    opts->sort_reverse = 0;
    opts->scheme = SILK_WEIGHT_BM25;
    opts->delta = 1.0;
    opts->c = 1.0;
}

namespace
{

bool bm25_ok(const silk_search_opts_t &o)
{
    if (std::isnan(o.k1) || std::isnan(o.k2) || std::isnan(o.k3) || std::isnan(o.b) ||
        std::isnan(o.min_normlen))
        return false;
    if (std::isnan(o.delta) || std::isnan(o.c) || o.delta < 0 || o.c <= 0 || o.scheme < 0 ||
        o.scheme >= SILK_WEIGHT_COUNT)
        return false;
    return o.k1 >= 0 && o.k2 >= 0 && o.k3 >= 0 && o.b >= 0 && o.b <= 1 && o.min_normlen >= 0;
}

/* The Xapian weighting object of o's scheme (o checked by bm25_ok). */
std::unique_ptr<Xapian::Weight> weight_of(const silk_search_opts_t &o)
{
    switch (o.scheme) {
    case SILK_WEIGHT_BM25PLUS:
        return std::make_unique<Xapian::BM25PlusWeight>(o.k1, o.k2, o.k3, o.b, o.min_normlen,
                                                        o.delta);
    case SILK_WEIGHT_INEB2:
        return std::make_unique<Xapian::IneB2Weight>(o.c);
    case SILK_WEIGHT_INL2:
        return std::make_unique<Xapian::InL2Weight>(o.c);
    case SILK_WEIGHT_BB2:
        return std::make_unique<Xapian::BB2Weight>(o.c);
    case SILK_WEIGHT_PL2:
        return std::make_unique<Xapian::PL2Weight>(o.c);
    case SILK_WEIGHT_DPH:
        return std::make_unique<Xapian::DPHWeight>();
    default:
        return std::make_unique<Xapian::BM25Weight>(o.k1, o.k2, o.k3, o.b, o.min_normlen);
    }
}

} // namespace

extern "C" silk_status_t silk_db_search(silk_db_t *db, const silk_query_t *q,
                                        const silk_search_opts_t *opts, silk_mset_t **out)
{
    return silk_db_search_ex(db, q, opts, nullptr, out);
}

namespace
{

/* The shape of the per-hit getters that cannot fail: `none` for a NULL mset, an index out
 * of range or an exception. */
template <typename T, typename F>
T hit_value(const silk_mset *m, size_t i, T none, F &&get) noexcept
{
    if (m == nullptr || i >= m->mset.size() || m->partial)
        return none;
    try {
        return get(m->mset[(Xapian::doccount)i]);
    } catch (...) {
        return none;
    }
}

/* The shape of the per-hit calls that can: an index out of range (or `bad`) is
 * SILK_ERR_INVALID with msg kept on m. */
/* The document of hit i (in range). */
Xapian::Document hit_document(const silk_mset *m, size_t i)
{
    if (m->partial)
        return m->db.get_document(m->part[i].first);
    return m->mset[(Xapian::doccount)i].get_document();
}

template <typename F>
silk_status_t on_hit(silk_mset *m, size_t i, bool bad, const char *msg, F &&body) noexcept
{
    return checked(m, bad || (m != nullptr && i >= silk_mset_size(m)), msg, body);
}

} // namespace

extern "C" size_t silk_mset_size(const silk_mset_t *m)
{
    return m == nullptr ? 0 : m->partial ? m->part.size() : m->mset.size();
}

extern "C" uint64_t silk_mset_estimated(const silk_mset_t *m)
{
    return m == nullptr ? 0 : m->partial ? m->part_est : m->mset.get_matches_estimated();
}

extern "C" uint64_t silk_mset_lower_bound(const silk_mset_t *m)
{
    return m == nullptr ? 0 : m->partial ? m->part_lo : m->mset.get_matches_lower_bound();
}

extern "C" uint64_t silk_mset_upper_bound(const silk_mset_t *m)
{
    return m == nullptr ? 0 : m->partial ? m->part_hi : m->mset.get_matches_upper_bound();
}

extern "C" unsigned silk_mset_docid(const silk_mset_t *m, size_t i)
{
    if (m != nullptr && m->partial)
        return i < m->part.size() ? m->part[i].first : 0u;
    return hit_value(m, i, 0u, [](const Xapian::MSetIterator &h) { return *h; });
}

extern "C" uint32_t silk_mset_rank(const silk_mset_t *m, size_t i)
{
    if (m != nullptr && m->partial)
        return i < m->part.size() ? (uint32_t)(m->part_first + i) : 0u;
    return hit_value(m, i, (uint32_t)0, [](const Xapian::MSetIterator &h) { return h.get_rank(); });
}

extern "C" double silk_mset_weight(const silk_mset_t *m, size_t i)
{
    if (m != nullptr && m->partial)
        return i < m->part.size() ? m->part[i].second : 0.0;
    return hit_value(m, i, 0.0, [](const Xapian::MSetIterator &h) { return h.get_weight(); });
}

extern "C" silk_status_t silk_mset_data(silk_mset_t *m, size_t i, const char **data, size_t *len)
{
    if (m == nullptr || data == nullptr)
        return SILK_ERR_INVALID;
    *data = nullptr;
    if (len != nullptr)
        *len = 0;
    return on_hit(m, i, false, "silk_mset_data: index out of range", [&] {
        if (!m->have_data[i]) {
            m->data[i] = hit_document(m, i).get_data();
            m->have_data[i] = 1;
        }
        *data = m->data[i].c_str();
        if (len != nullptr)
            *len = m->data[i].size();
        return SILK_OK;
    });
}

extern "C" silk_status_t silk_mset_unique_term(silk_mset_t *m, size_t i, const char **term)
{
    if (m == nullptr || term == nullptr)
        return SILK_ERR_INVALID;
    *term = nullptr;
    return on_hit(m, i, false, "silk_mset_unique_term: index out of range", [&] {
        if (!m->have_uniq[i]) {
            Xapian::Document d = hit_document(m, i);
            Xapian::TermIterator it = d.termlist_begin();
            /* Terms are sorted, so the unique term is the first one from "Q" on. */
            it.skip_to("Q");
            if (it == d.termlist_end() || (*it).empty() || (*it)[0] != 'Q')
                return fail_with(&m->err, SILK_ERR_NOT_FOUND, "the document has no Q term");
            m->uniq[i] = *it;
            m->have_uniq[i] = 1;
        }
        *term = m->uniq[i].c_str();
        return SILK_OK;
    });
}

extern "C" silk_status_t silk_mset_matching_terms(silk_mset_t *m, size_t i, silk_str_cb cb,
                                                  void *ud)
{
    return on_hit(m, i, cb == nullptr, "silk_mset_matching_terms: bad argument", [&] {
        Xapian::docid did = silk_mset_docid(m, i);
        std::vector<std::string> seen;
        for (auto it = m->enq.get_matching_terms_begin(did);
             it != m->enq.get_matching_terms_end(did); ++it) {
            const std::string t = *it;
            if (cb(t.data(), t.size(), ud) != 0)
                return SILK_OK;
            seen.push_back(t);
        }
        if (m->wildcards.empty())
            return SILK_OK;
        /* Xapian 1.4 leaves out the terms a wildcard expanded to; they are the document's
         * terms that start with the wildcard's prefix. */
        Xapian::Document doc = hit_document(m, i);
        for (const std::string &pfx : m->wildcards) {
            Xapian::TermIterator it = doc.termlist_begin();
            it.skip_to(pfx);
            for (; it != doc.termlist_end(); ++it) {
                const std::string t = *it;
                if (t.compare(0, pfx.size(), pfx) != 0)
                    break;
                if (std::find(seen.begin(), seen.end(), t) != seen.end())
                    continue;
                if (cb(t.data(), t.size(), ud) != 0)
                    return SILK_OK;
                seen.push_back(t);
            }
        }
        return SILK_OK;
    });
}

namespace
{

/* Accepts the free-text terms present in at least `min` of the feedback documents. */
struct feedback_decider : public Xapian::ExpandDecider {
    std::unordered_map<std::string, unsigned> count;
    unsigned min = 1;
    bool operator()(const std::string &t) const override
    {
        if (t.empty() || (t[0] >= 'A' && t[0] <= 'Z'))
            return false;
        auto it = count.find(t);
        return it != count.end() && it->second >= min;
    }
};

} // namespace

extern "C" silk_status_t silk_mset_expand(silk_mset_t *m, size_t ndocs, size_t nterms,
                                          unsigned min_docs, silk_term_weight_cb cb, void *ud)
{
    return checked(m, cb == nullptr, "silk_mset_expand: bad argument", [&] {
        size_t n = std::min(ndocs, (size_t)m->mset.size());
        if (n == 0 || nterms == 0)
            return SILK_OK;
        Xapian::RSet rset;
        feedback_decider dec;
        dec.min = min_docs ? min_docs : 1;
        for (size_t i = 0; i < n; i++) {
            Xapian::docid did = *m->mset[(Xapian::doccount)i];
            rset.add_document(did);
            if (dec.min > 1)
                for (auto t = m->db.termlist_begin(did); t != m->db.termlist_end(did); ++t) {
                    const std::string term = *t;
                    if (!term.empty() && !(term[0] >= 'A' && term[0] <= 'Z'))
                        dec.count[term]++;
                }
        }
        if (dec.min <= 1)
            dec.min = 0; /* every candidate comes from a feedback document */
        Xapian::ESet eset;
        if (dec.min == 0) {
            struct free_text : public Xapian::ExpandDecider {
                bool operator()(const std::string &t) const override
                {
                    return !t.empty() && !(t[0] >= 'A' && t[0] <= 'Z');
                }
            } ft;
            eset = m->enq.get_eset((Xapian::termcount)nterms, rset, &ft);
        } else {
            eset = m->enq.get_eset((Xapian::termcount)nterms, rset, &dec);
        }
        for (auto it = eset.begin(); it != eset.end(); ++it) {
            const std::string t = *it;
            if (cb(t.data(), t.size(), it.get_weight(), ud) != 0)
                break;
        }
        return SILK_OK;
    });
}

extern "C" const char *silk_mset_error(const silk_mset_t *m)
{
    return m != nullptr ? m->err.c_str() : "";
}

extern "C" void silk_mset_destroy(silk_mset_t *m)
{
    delete m;
}

/* ---- stemming ------------------------------------------------------------------------------ */

extern "C" silk_status_t silk_stemmer_new(const char *language, silk_stemmer_t **out)
{
    return make_into(out, language == nullptr || *language == '\0', [&] {
        std::string lang = language;
        if (lang == "en")
            lang = "english";
        return new silk_stemmer{Xapian::Stem(lang)};
    });
}

extern "C" silk_status_t silk_stemmer_stem(silk_stemmer_t *st, const char *word, size_t len,
                                           char *buf, size_t cap, size_t *out_len)
{
    if (out_len != nullptr)
        *out_len = 0;
    if (st == nullptr || (word == nullptr && len != 0) || buf == nullptr || cap == 0)
        return SILK_ERR_INVALID;
    return guard(nullptr, [&] {
        std::string s = st->stem(len != 0 ? std::string(word, len) : std::string());
        if (out_len != nullptr)
            *out_len = s.size();
        if (s.size() + 1 > cap) {
            buf[0] = '\0';
            return SILK_ERR_TOO_LARGE;
        }
        std::memcpy(buf, s.data(), s.size());
        buf[s.size()] = '\0';
        return SILK_OK;
    });
}

extern "C" void silk_stemmer_destroy(silk_stemmer_t *st)
{
    delete st;
}

/* ---- facet counts, time limits and trust of stub paths ------------------------------------- */

namespace
{

/* Asks opts.check_path about the path itself and about every local database its stub
 * names (already resolved against the stub's folder by parse_stub): whoever can write any
 * of them chooses what silk serves. Throws InvalidArgumentError with the reason. */
void check_paths(const std::string &path, const std::string &stub, const silk_db_opts_t &opts)
{
    if (opts.check_path == nullptr)
        return;
    auto ask = [&](const char *what, const std::string &p) {
        char *why = nullptr;
        silk_status_t st = opts.check_path(opts.check_ud, what, p.c_str(), &why);
        if (st == SILK_OK) {
            std::free(why);
            return;
        }
        std::string msg = why != nullptr ? why : "refusing the " + std::string(what) + " " + p;
        std::free(why);
        throw Xapian::InvalidArgumentError(msg);
    };
    ask("index", path);
    if (stub.empty())
        return;
    for (const stub_entry &e : parse_stub(stub))
        if (e.kind == stub_entry::LOCAL || e.kind == stub_entry::GLASS ||
            e.kind == stub_entry::META)
            ask("index shard", e.where);
}

uint64_t monotonic_us()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Thrown by deadline_spy through Xapian's matcher, caught in silk_db_search_ex. */
struct deadline_passed {
};

/* Which local shard the match is in, for a match spy over several shards: Xapian 1.4 hands
 * a spy (and a KeyMaker, a MatchDecider) the document's id *in its shard* (the matcher's
 * ValueStreamDocument keeps the sub-database's id), and nothing of the Document's public
 * face tells the shard. A shard_probe ANDed into the query (OP_FILTER: no weight) is cloned
 * and init()ed once per shard, and each clone is advanced (next, skip_to, check) only while
 * the match walks that shard: MergePostList walks the shards one after the other, and each
 * candidate of shard k passes its AND (so its probe) before the spy sees it. So the last
 * probe that moved names the candidate's shard, and its global id is Xapian's
 * (local - 1) * nshards + shard + 1 (MergePostList::get_docid). */
struct shard_cursor {
    Xapian::Database whole; /* the combined database the probes find their shard in */
    size_t current = 0;     /* the shard of the candidate being matched */
    bool lost = false;      /* a probe did not find its shard: ids cannot be mapped */
};

class shard_probe : public Xapian::PostingSource
{
  public:
    explicit shard_probe(std::shared_ptr<shard_cursor> c) : c_(std::move(c)) {}
    Xapian::PostingSource *clone() const override
    {
        return new shard_probe(c_);
    }
    /* db is one shard (QueryPostingSource::postlist wraps the sub-database it matches):
     * found among the combined database's sub-databases by identity (Database::internal
     * is public in xapian/database.h, though documented as internal). */
    void init(const Xapian::Database &db) override
    {
        did_ = 0;
        last_ = db.get_lastdocid();
        count_ = db.get_doccount();
        shard_ = c_->whole.internal.size();
        for (size_t k = 0; db.internal.size() == 1 && k < c_->whole.internal.size(); k++)
            if (db.internal[0].get() == c_->whole.internal[k].get())
                shard_ = k;
        if (shard_ == c_->whole.internal.size())
            c_->lost = true;
    }
    /* It matches every id of the shard; reported as the shard's documents, so that the
     * AND's bounds and estimate are those of the query alone. */
    Xapian::doccount get_termfreq_min() const override
    {
        return count_;
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return count_;
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return count_;
    }
    Xapian::docid get_docid() const override
    {
        return did_;
    }
    void next(double) override
    {
        ++did_;
        c_->current = shard_;
    }
    void skip_to(Xapian::docid did, double) override
    {
        if (did > did_)
            did_ = did;
        c_->current = shard_;
    }
    bool check(Xapian::docid did, double min_wt) override
    {
        skip_to(did, min_wt);
        return true;
    }
    bool at_end() const override
    {
        return did_ > last_;
    }

  private:
    std::shared_ptr<shard_cursor> c_;
    Xapian::docid did_ = 0, last_ = 0;
    Xapian::doccount count_ = 0;
    size_t shard_ = 0;
};

/* Stops a match at a deadline. Every CHECK_EVERY documents the clock is read
 * (CLOCK_MONOTONIC, no timer, no signal, no other thread), and past the deadline an
 * exception unwinds the match: Xapian's matcher is exception-safe (a DatabaseModifiedError
 * can arrive from any posting list read mid-match). The spy keeps the best `keep` of the
 * candidates it was called with, in the order of Xapian's MSetCmp (matcher/msetcmp.cc),
 * which reproduces Xapian's own proto-MSet of the documents seen:
 * - by relevance, Xapian 1.4's MultiMatch::get_mset calls a spy with every candidate that
 *   could still enter the result (its weight at least the k-th best once the proto-MSet
 *   is full); ranked by weight, then docid ascending (set_docid_order ASCENDING);
 * - sorted by value then relevance (set_sort_by_value_then_relevance), the minimum weight
 *   never rises (only REL and REL_VAL raise it), so the spy is called with every matching
 *   document, with its weight (computed before the sort key for any sort but VAL): the one
 *   that sorts below the proto-MSet's worst in the "sorts lower than min_item" branch, the
 *   others before they are pushed. Ranked by the slot's value as a byte string (Xapian's
 *   sort key, "" when the document has none), ascending or descending with sort_reverse,
 *   then weight, then docid ascending.
 * Xapian's own Enquire::set_time_limit is not used: MultiMatch::get_mset arms a POSIX
 * timer (SIGEV_THREAD) per match in this process (even for a match that runs wholly on a
 * remote shard: the timer is created before that case is taken), which crashed silkd under
 * pipelined searches with a 1 ms limit, and when it fires it only lowers check_at_least,
 * so it never stops the search for the page itself. */
class deadline_spy : public Xapian::MatchSpy
{
  public:
    static constexpr unsigned CHECK_EVERY = 16;
    struct item {
        std::string key; /* the sort value (sorted searches only) */
        double wt;
        Xapian::docid did;
    };
    /* sort_slot < 0: by relevance; else by that slot's value, descending when reverse.
     * shards: NULL for one database; else the cursor of the probes (nshards of them). */
    deadline_spy(uint64_t deadline_us, size_t keep, int sort_slot, bool reverse,
                 std::shared_ptr<const shard_cursor> shards, size_t nshards)
        : deadline_(deadline_us), keep_(keep), slot_(sort_slot), reverse_(reverse),
          shards_(std::move(shards)), nshards_(nshards)
    {
    }
    void operator()(const Xapian::Document &doc, double wt) override
    {
        ++seen_;
        if (keep_ > 0) {
            Xapian::docid did = doc.get_docid();
            if (shards_)
                did = (did - 1) * (Xapian::docid)nshards_ + (Xapian::docid)shards_->current + 1;
            item it{slot_ >= 0 ? doc.get_value((Xapian::valueno)slot_) : std::string(), wt, did};
            auto cmp = [this](const item &a, const item &b) { return better(a, b); };
            if (best_.size() < keep_) {
                best_.push_back(std::move(it));
                std::push_heap(best_.begin(), best_.end(), cmp);
            } else if (better(it, best_.front())) {
                std::pop_heap(best_.begin(), best_.end(), cmp);
                best_.back() = std::move(it);
                std::push_heap(best_.begin(), best_.end(), cmp);
            }
        }
        /* A probe that did not find its shard would give a page of wrong ids: no stop. */
        if (seen_ % CHECK_EVERY == 0 && monotonic_us() >= deadline_ && !(shards_ && shards_->lost))
            throw deadline_passed();
    }
    /* a ranks before b (msetcmp_by_relevance, msetcmp_by_value_then_relevance): the value
     * first when sorted, then a higher weight, then a lower id. The heap's front is the
     * worst kept. */
    bool better(const item &a, const item &b) const
    {
        if (slot_ >= 0) {
            int c = a.key.compare(b.key);
            if (c != 0)
                return reverse_ ? c > 0 : c < 0;
        }
        return a.wt != b.wt ? a.wt > b.wt : a.did < b.did;
    }
    uint64_t seen() const
    {
        return seen_;
    }
    /* The kept hits, best first. */
    std::vector<item> ranked() const
    {
        std::vector<item> v = best_;
        std::sort(v.begin(), v.end(),
                  [this](const item &a, const item &b) { return better(a, b); });
        return v;
    }

  private:
    uint64_t deadline_;
    size_t keep_;
    int slot_;
    bool reverse_;
    std::shared_ptr<const shard_cursor> shards_;
    size_t nshards_;
    uint64_t seen_ = 0;
    std::vector<item> best_;
};

/* Fills the partial result of m from the spy: the page [offset, offset+limit) of the best
 * hits seen, and bounds of the total (what was seen is a lower bound; the posting lists'
 * estimates, read without a match, give the rest). */
void make_partial(silk_mset *m, const deadline_spy &spy, const Xapian::Query &q,
                  const silk_search_opts_t &o)
{
    m->partial = true;
    m->part_first = o.offset;
    std::vector<deadline_spy::item> r = spy.ranked();
    for (size_t i = o.offset; i < r.size() && i < (size_t)o.offset + o.limit; i++)
        m->part.emplace_back(r[i].did, r[i].wt);
    Xapian::Enquire bounds(m->db);
    bounds.set_query(q);
    Xapian::MSet b = bounds.get_mset(0, 0);
    uint64_t seen = spy.seen();
    m->part_lo = std::max<uint64_t>(seen, b.get_matches_lower_bound());
    m->part_hi = std::max<uint64_t>(m->part_lo, b.get_matches_upper_bound());
    m->part_est =
        std::min<uint64_t>(m->part_hi, std::max<uint64_t>(m->part_lo, b.get_matches_estimated()));
}

} // namespace

extern "C" silk_status_t silk_db_search_ex(silk_db_t *db, const silk_query_t *q,
                                           const silk_search_opts_t *opts,
                                           const silk_search_extra_t *extra, silk_mset_t **out)
{
    if (out != nullptr)
        *out = nullptr;
    if (db == nullptr)
        return SILK_ERR_INVALID;
    if (q == nullptr || out == nullptr ||
        (extra != nullptr && extra->ncount_slots > 0 && extra->count_slots == nullptr))
        return fail_with(&db->err, SILK_ERR_INVALID, "silk_db_search: NULL argument");
    silk_search_opts_t o;
    if (opts != nullptr)
        o = *opts;
    else
        silk_search_opts_init(&o);
    return checked(db, !bm25_ok(o), "silk_db_search: bad weighting parameter", [&] {
        std::unique_ptr<silk_mset> m(new silk_mset(db->cur.db));
        m->owner = db;
        m->wildcards = q->wildcards;
        bool spied = extra != nullptr && extra->deadline_us != 0 && !db->cur.has_remote;
        std::shared_ptr<shard_cursor> cursor;
        if (spied && m->db.internal.size() > 1) {
            cursor = std::make_shared<shard_cursor>();
            cursor->whole = m->db;
            Xapian::Query probe((new shard_probe(cursor))->release());
            m->enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q->q, probe));
        } else {
            m->enq.set_query(q->q);
        }
        m->enq.set_weighting_scheme(*weight_of(o));
        /* Equal weights keep index order, so results are stable between runs. */
        m->enq.set_docid_order(Xapian::Enquire::ASCENDING);
        if (o.sort_slot >= 0)
            m->enq.set_sort_by_value_then_relevance((Xapian::valueno)o.sort_slot,
                                                    o.sort_reverse != 0);
        Xapian::doccount check = o.check_at_least;
        if (extra != nullptr && extra->ncount_slots > 0) {
            for (size_t k = 0; k < extra->ncount_slots; k++) {
                m->counts.emplace_back(new Xapian::ValueCountMatchSpy(extra->count_slots[k]));
                m->enq.add_matchspy(m->counts.back().get());
            }
            /* Counts over every match, not only those needed for the page. */
            check = std::max<Xapian::doccount>(check, db->cur.db.get_doccount());
        }
        deadline_spy *spy = nullptr;
        if (spied) {
            spy = new deadline_spy(extra->deadline_us, (size_t)o.offset + o.limit, o.sort_slot,
                                   o.sort_reverse != 0, cursor, m->db.internal.size());
            m->deadline.reset(spy);
            m->enq.add_matchspy(spy); /* after the counters: they count what it saw */
        }
        try {
            m->mset = m->enq.get_mset(o.offset, o.limit, check);
        } catch (const deadline_passed &) {
            make_partial(m.get(), *spy, q->q, o);
        }
        size_t n = silk_mset_size(m.get());
        m->data.resize(n);
        m->have_data.assign(n, 0);
        m->uniq.resize(n);
        m->have_uniq.assign(n, 0);
        *out = m.release();
        return SILK_OK;
    });
}

extern "C" int silk_mset_partial(const silk_mset_t *m)
{
    return m != nullptr && m->partial;
}

extern "C" silk_status_t silk_mset_value_counts(silk_mset_t *m, size_t k, int numeric,
                                                silk_count_cb cb, void *ud)
{
    if (m == nullptr)
        return SILK_ERR_INVALID;
    return checked(
        m, cb == nullptr || k >= m->counts.size(), "silk_mset_value_counts: bad argument", [&] {
            const Xapian::ValueCountMatchSpy &spy = *m->counts[k];
            for (Xapian::TermIterator it = spy.values_begin(); it != spy.values_end(); ++it) {
                std::string v = *it;
                if (numeric) {
                    double d = Xapian::sortable_unserialise(v);
                    char buf[64];
                    int len = d == std::floor(d) && std::fabs(d) < 1e15
                                  ? std::snprintf(buf, sizeof buf, "%.0f", d)
                                  : std::snprintf(buf, sizeof buf, "%g", d);
                    v.assign(buf, len > 0 ? (size_t)len : 0);
                }
                if (cb(v.data(), v.size(), it.get_termfreq(), ud) != 0)
                    break;
            }
            return SILK_OK;
        });
}

extern "C" silk_status_t silk_doc_add_string_value(silk_doc_t *doc, unsigned slot,
                                                   const char *value, size_t len)
{
    return edit_doc(doc, slot == Xapian::BAD_VALUENO || (value == nullptr && len != 0),
                    [&](Xapian::Document &d) {
                        if (len != 0)
                            d.add_value(slot, std::string(value, len));
                    });
}
