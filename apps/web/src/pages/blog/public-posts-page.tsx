import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { postPath, postsApi, type PostKind } from '../../api/posts.api';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { ListIcon } from '../../components/icons';
import { LoadingBlock } from '../../components/spinner';
import { formatDate } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { PublicLayout } from './public-layout';

const HEADINGS: Record<PostKind, { title: string; description: string; empty: string }> = {
  blog: { title: 'Blog', description: 'News, guides and stories from the people who make Weft.', empty: 'No post has been published yet.' },
  changelog: { title: 'Changelog', description: 'What changed in Weft, release by release.', empty: 'No release note has been published yet.' },
};

/** `/blog` and `/changelog`: published posts, newest first, twenty at a time. */
export function PublicPostsPage({ kind }: { kind: PostKind }) {
  const heading = HEADINGS[kind];
  useDocumentTitle(heading.title);
  const posts = useInfiniteQuery({
    queryKey: queryKeys.publishedPosts(kind),
    queryFn: ({ pageParam }) => postsApi.listPublished(kind, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = posts.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <PublicLayout>
      <div className="page page-narrow">
        <header className="page-header">
          <div className="grow">
            <h1>{heading.title}</h1>
            <p>{heading.description}</p>
          </div>
        </header>
        {posts.isPending ? (
          <LoadingBlock label="Loading posts…" />
        ) : posts.isError ? (
          <ErrorState error={posts.error} onRetry={() => void posts.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState icon={<ListIcon size={22} />} title="Nothing here yet" description={heading.empty} />
        ) : (
          <ol className="post-list">
            {items.map((post) => (
              <li key={post.id} className="post-list-item">
                <time dateTime={post.publishedAt} className="subtle">
                  {formatDate(post.publishedAt)}
                </time>
                <h2>
                  <Link to={postPath(post)}>{post.title}</Link>
                </h2>
                {post.summary ? <p>{post.summary}</p> : null}
              </li>
            ))}
          </ol>
        )}
        {posts.hasNextPage ? (
          <div className="row" style={{ justifyContent: 'center' }}>
            <Button isLoading={posts.isFetchingNextPage} onClick={() => void posts.fetchNextPage()}>
              Older posts
            </Button>
          </div>
        ) : null}
      </div>
    </PublicLayout>
  );
}
