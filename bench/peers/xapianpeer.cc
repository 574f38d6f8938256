/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk bench — the Xapian peer: what a Xapian user would write with the library's own
 * TermGenerator and QueryParser (omega-style). A benchmark program, not silk code: it
 * includes <xapian.h> directly, which silk's own code does only in lib/xapian.cc.
 *
 *   xapianpeer index DBDIR DOCS.jsonl          build a fresh database of the documents
 *   xapianpeer run DBDIR QUERIES.tsv [LIMIT]   a TREC run (top LIMIT, default 100)
 *   xapianpeer lat DBDIR QUERIES.tsv SECONDS [LIMIT]
 *                                              in-process latency (Enquire + get_mset,
 *                                              ids read from the document data): JSON
 *
 * Indexing: English stemmer (STEM_SOME), FLAG_CJK_NGRAM so Hangul is searchable, title
 * indexed twice (prefix S and unprefixed) as omega does, the id as document data and a Q
 * term. Queries: QueryParser with the same stemmer, default operator OR, FLAG_DEFAULT |
 * FLAG_CJK_NGRAM; when a query fails to parse (1.4.22 rejects some mixed-script text with
 * FLAG_CJK_NGRAM, and stray syntax), it is parsed again with no flags but CJK_NGRAM, and
 * if that fails too the query counts as answered with nothing. BM25 with Xapian's defaults.
 */
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../common.h"
#include "peerutil.h"

namespace
{

struct IndexCtx {
    Xapian::WritableDatabase *db;
    Xapian::TermGenerator *tg;
};

int add_doc(void *ctx, const char *id, const char *title, const char *text)
{
    IndexCtx *c = static_cast<IndexCtx *>(ctx);
    try {
        Xapian::Document doc;
        c->tg->set_document(doc);
        c->tg->index_text(title, 1, "S");
        c->tg->index_text(title);
        c->tg->increase_termpos();
        c->tg->index_text(text);
        doc.set_data(id);
        std::string q = std::string("Q") + id;
        doc.add_boolean_term(q);
        c->db->add_document(doc);
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapianpeer: %s\n", e.get_description().c_str());
        return -1;
    }
    return 0;
}

int cmd_index(const char *path, const char *docs)
{
    uint64_t bytes = 0;
    uint64_t t0 = bench_now_us();
    long n;
    try {
        Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
        Xapian::TermGenerator tg;
        tg.set_stemmer(Xapian::Stem("english"));
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        IndexCtx ctx = {&db, &tg};
        n = peer_docs_each(docs, add_doc, &ctx, &bytes);
        if (n < 0)
            return 1;
        db.commit();
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapianpeer: %s\n", e.get_description().c_str());
        return 1;
    }
    double secs = (double)(bench_now_us() - t0) / 1e6;
    std::printf("{\"docs\":%ld,\"bytes\":%llu,\"seconds\":%.3f,\"mb_s\":%.2f,"
                "\"peak_rss_kib\":%ld}\n",
                n, (unsigned long long)bytes, secs, (double)bytes / 1e6 / secs,
                peer_peak_rss_kib());
    return 0;
}

struct Searcher {
    Xapian::Database db;
    Xapian::QueryParser qp;
    Xapian::Enquire enquire;
    unsigned failed = 0;

    explicit Searcher(const char *path) : db(path), enquire(db)
    {
        qp.set_database(db);
        qp.set_stemmer(Xapian::Stem("english"));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_default_op(Xapian::Query::OP_OR);
        qp.add_prefix("title", "S");
    }

    Xapian::MSet search(const std::string &text, unsigned limit)
    {
        Xapian::Query query;
        try {
            query = qp.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT |
                                             Xapian::QueryParser::FLAG_CJK_NGRAM);
        } catch (const Xapian::QueryParserError &) {
            try {
                query = qp.parse_query(text, Xapian::QueryParser::FLAG_CJK_NGRAM);
            } catch (const Xapian::QueryParserError &) {
                failed++;
                return Xapian::MSet();
            }
        }
        enquire.set_query(query);
        return enquire.get_mset(0, limit);
    }
};

int cmd_run(const char *path, const char *queries, unsigned limit)
{
    peer_query_t *q = nullptr;
    size_t nq = 0;
    if (peer_queries_load(queries, &q, &nq))
        return 1;
    int rc = 1;
    try {
        Searcher s(path);
        for (size_t i = 0; i < nq; i++) {
            Xapian::MSet m = s.search(q[i].text, limit);
            unsigned rank = 0;
            for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it)
                std::printf("%s Q0 %s %u %.4f xapian\n", q[i].qid,
                            it.get_document().get_data().c_str(), ++rank, it.get_weight());
        }
        std::fprintf(stderr, "xapianpeer: %zu queries, %u failed to parse\n", nq, s.failed);
        rc = 0;
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapianpeer: %s\n", e.get_description().c_str());
    }
    peer_queries_free(q, nq);
    return rc;
}

int cmd_lat(const char *path, const char *queries, double seconds, unsigned limit)
{
    peer_query_t *q = nullptr;
    size_t nq = 0;
    if (peer_queries_load(queries, &q, &nq) || nq == 0)
        return 1;
    int rc = 1;
    try {
        Searcher s(path);
        std::vector<double> lat;
        lat.reserve(1 << 16);
        uint64_t start = bench_now_us(), end = start + (uint64_t)(seconds * 1e6), now = start;
        size_t n = 0;
        while (now < end) {
            uint64_t t0 = now;
            Xapian::MSet m = s.search(q[n % nq].text, limit);
            /* Read each hit's id as a real answer must. */
            for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it)
                (void)it.get_document().get_data();
            now = bench_now_us();
            lat.push_back((double)(now - t0));
            n++;
        }
        double secs = (double)(now - start) / 1e6;
        std::printf("{\"queries\":%zu,\"qps\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
                    "\"p999_us\":%.1f}\n",
                    n, (double)n / secs, peer_percentile(lat.data(), n, 0.5),
                    peer_percentile(lat.data(), n, 0.99), peer_percentile(lat.data(), n, 0.999));
        rc = 0;
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapianpeer: %s\n", e.get_description().c_str());
    }
    peer_queries_free(q, nq);
    return rc;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 4 && std::strcmp(argv[1], "index") == 0)
        return cmd_index(argv[2], argv[3]);
    if (argc >= 4 && std::strcmp(argv[1], "run") == 0)
        return cmd_run(argv[2], argv[3], argc > 4 ? (unsigned)std::atoi(argv[4]) : 100);
    if (argc >= 5 && std::strcmp(argv[1], "lat") == 0)
        return cmd_lat(argv[2], argv[3], std::atof(argv[4]),
                       argc > 5 ? (unsigned)std::atoi(argv[5]) : 10);
    std::fprintf(stderr, "usage: xapianpeer index DBDIR DOCS.jsonl | run DBDIR QUERIES.tsv "
                         "[LIMIT] | lat DBDIR QUERIES.tsv SECONDS [LIMIT]\n");
    return 2;
}
