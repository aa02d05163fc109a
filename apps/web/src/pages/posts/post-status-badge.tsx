import type { PostStatus } from '../../api/posts.api';

export function PostStatusBadge({ status }: { status: PostStatus }) {
  return status === 'published' ? <span className="badge badge-success">Published</span> : <span className="badge">Draft</span>;
}
