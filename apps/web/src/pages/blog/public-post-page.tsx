import { useQuery } from '@tanstack/react-query';
import { Navigate, useParams } from 'react-router';
import { ApiError } from '../../api/api-client';
import { postPath, postsApi, type PostKind } from '../../api/posts.api';
import { queryKeys } from '../../api/query-keys';
import { ButtonLink } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { LoadingBlock } from '../../components/spinner';
import { formatDate } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { PublicLayout } from './public-layout';

const BACK: Record<PostKind, string> = { blog: 'All posts', changelog: 'All release notes' };

/** `/blog/:slug` and `/changelog/:slug`: one published post. */
export function PublicPostPage({ kind }: { kind: PostKind }) {
  const { slug = '' } = useParams();
  const post = useQuery({ queryKey: queryKeys.publishedPost(slug), queryFn: () => postsApi.getPublished(slug), retry: false });
  useDocumentTitle(post.data?.title ?? 'Post');
  const isMissing = post.error instanceof ApiError && post.error.status === 404;

  return (
    <PublicLayout>
      <div className="page page-narrow">
        {post.isPending ? (
          <LoadingBlock label="Loading the post…" />
        ) : isMissing ? (
          <EmptyState title="This post does not exist" description="It may have been moved or withdrawn." actions={<ButtonLink to={`/${kind}`}>{BACK[kind]}</ButtonLink>} />
        ) : post.isError ? (
          <ErrorState error={post.error} onRetry={() => void post.refetch()} />
        ) : post.data.kind !== kind ? (
          // A blog post asked for under /changelog (or the reverse): its own address.
          <Navigate to={postPath(post.data)} replace />
        ) : (
          <article className="post">
            <header>
              <time dateTime={post.data.publishedAt} className="subtle">
                {formatDate(post.data.publishedAt)}
              </time>
              <h1>{post.data.title}</h1>
              {post.data.summary ? <p className="post-summary">{post.data.summary}</p> : null}
            </header>
            {/* The server renders the markdown with raw HTML escaped and unsafe links refused (modules/content). */}
            <div className="post-body" dangerouslySetInnerHTML={{ __html: post.data.bodyHtml }} />
            <footer>
              <ButtonLink to={`/${kind}`} size="sm" variant="ghost">
                ← {BACK[kind]}
              </ButtonLink>
            </footer>
          </article>
        )}
      </div>
    </PublicLayout>
  );
}
