import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { postsApi, type PostKind, type PostStatus } from '../../api/posts.api';
import { queryKeys } from '../../api/query-keys';
import { Button, ButtonLink } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { Field } from '../../components/field';
import { ListIcon, PlusIcon } from '../../components/icons';
import { Select } from '../../components/input';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { Table } from '../../components/table';
import { formatDate, formatRelativeTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSignedInAccount } from '../../session/session';
import { PostStatusBadge } from './post-status-badge';

const KINDS = { blog: 'Blog', changelog: 'Changelog' } as const;

/** `/admin/posts`: every post of the instance, drafts first among the newest (instance administrators). */
export function PostsAdminPage() {
  useDocumentTitle('Posts');
  const account = useSignedInAccount();
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') as PostKind | null) ?? undefined;
  const status = (params.get('status') as PostStatus | null) ?? undefined;
  const filters = { kind, status };
  const posts = useInfiniteQuery({
    queryKey: queryKeys.allPosts(filters),
    queryFn: ({ pageParam }) => postsApi.listAll(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: account.isAdmin,
  });
  const setFilter = (key: 'kind' | 'status', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  if (!account.isAdmin) {
    return (
      <div className="page">
        <PageHeader title="Posts" />
        <EmptyState icon={<ListIcon size={22} />} title="For instance administrators" description="Only the administrators of this Weft instance write its blog and changelog." />
      </div>
    );
  }

  const items = posts.data?.pages.flatMap((page) => page.items) ?? [];
  const newButton = (
    <ButtonLink to="/admin/posts/new" variant="primary" icon={<PlusIcon />}>
      New post
    </ButtonLink>
  );
  return (
    <div className="page">
      <PageHeader
        title="Posts"
        description={
          <>
            The instance’s <a href="/blog">blog</a> and <a href="/changelog">changelog</a>. Drafts are seen only here.
          </>
        }
        actions={newButton}
      />
      <div className="toolbar" role="group" aria-label="Filter posts">
        <Field label="Kind">
          {(control) => (
            <Select {...control} value={kind ?? ''} onChange={(event) => setFilter('kind', event.target.value)}>
              <option value="">Blog and changelog</option>
              <option value="blog">Blog</option>
              <option value="changelog">Changelog</option>
            </Select>
          )}
        </Field>
        <Field label="Status">
          {(control) => (
            <Select {...control} value={status ?? ''} onChange={(event) => setFilter('status', event.target.value)}>
              <option value="">Drafts and published</option>
              <option value="draft">Drafts</option>
              <option value="published">Published</option>
            </Select>
          )}
        </Field>
      </div>
      {posts.isPending ? (
        <LoadingBlock label="Loading posts…" />
      ) : posts.isError ? (
        <ErrorState error={posts.error} onRetry={() => void posts.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<ListIcon size={22} />}
          title={kind || status ? 'No post matches these filters' : 'No post yet'}
          description={kind || status ? 'Change the filters to see the others.' : 'Write the first one: it stays a draft until you publish it.'}
          actions={kind || status ? <Button onClick={() => setParams({}, { replace: true })}>Clear filters</Button> : newButton}
        />
      ) : (
        <>
          <Table
            label="Posts"
            head={
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Published</th>
                <th scope="col">Last change</th>
              </tr>
            }
          >
            {items.map((post) => (
              <tr key={post.id}>
                <td>
                  <Link to={`/admin/posts/${post.id}`}>
                    <strong>{post.title}</strong>
                  </Link>
                  <span className="mono subtle"> /{post.slug}</span>
                </td>
                <td>{KINDS[post.kind]}</td>
                <td>
                  <PostStatusBadge status={post.status} />
                </td>
                <td>{post.publishedAt ? formatDate(post.publishedAt) : '—'}</td>
                <td>{formatRelativeTime(post.updatedAt)}</td>
              </tr>
            ))}
          </Table>
          {posts.hasNextPage ? (
            <div className="row" style={{ justifyContent: 'center' }}>
              <Button isLoading={posts.isFetchingNextPage} onClick={() => void posts.fetchNextPage()}>
                Load older posts
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
